/// The reason a request was rejected before it reached a handler. Each case carries the offending value,
/// and `offset` gives its position in the message head or body.
package struct HTTPRequestError: Error, Equatable, CustomStringConvertible {
    enum Kind: Equatable {
        // Request line and field lines (RFC 9112, sections 2 to 5).
        case invalidRequestLine(String)
        case invalidMethod(String)
        case invalidRequestTarget(String)
        case requestTargetTooLong(limit: Int)
        case unsupportedVersion(String)
        case invalidVersion(String)
        case bareLineFeed
        case bareCarriageReturn
        case tooManyEmptyLines
        case obsoleteLineFolding
        case whitespaceBeforeColon(String)
        case invalidFieldName(String)
        case invalidFieldValue(name: String)
        case headerSectionTooLarge(limit: Int)
        case tooManyFields(limit: Int)
        case missingHost
        case multipleHosts
        case invalidHost(String)

        // Message body framing (RFC 9112, sections 6 and 7).
        case invalidContentLength(String)
        case conflictingContentLengths(String)
        case contentLengthWithTransferEncoding
        case transferEncodingInHTTP10
        case chunkedNotFinal(String)
        case unsupportedTransferCoding(String)
        case invalidChunkSize(String)
        case chunkSizeTooLarge(String)
        case chunkLineTooLong(limit: Int)
        case missingChunkTerminator
        case trailerSectionTooLarge(limit: Int)

        // Request semantics (RFC 9110).
        case lengthRequired(HTTPMethod)
        case contentTooLarge(limit: Int)
        case unsupportedContentCoding(String)
        case invalidEncodedContent(coding: String, reason: String)
        case truncatedEncodedContent(coding: String)
        case decodedContentTooLarge(limit: Int)
        case unsupportedExpectation(String)
    }

    let kind: Kind
    /// Byte offset in the message head, or in the body for body errors, when it is known.
    let offset: Int?

    init(_ kind: Kind, at offset: Int? = nil) {
        self.kind = kind
        self.offset = offset
    }

    /// The configured limit that the request broke, for the `max` member of the problem body.
    var limit: Int? {
        switch kind {
        case .requestTargetTooLong(let limit), .headerSectionTooLarge(let limit), .tooManyFields(let limit),
            .chunkLineTooLong(let limit), .trailerSectionTooLarge(let limit), .contentTooLarge(let limit),
            .decodedContentTooLarge(let limit):
            limit
        default:
            nil
        }
    }

    var status: Int {
        switch kind {
        case .requestTargetTooLong: 414
        case .unsupportedVersion: 505
        case .headerSectionTooLarge, .tooManyFields, .trailerSectionTooLarge: 431
        case .unsupportedTransferCoding: 501
        case .lengthRequired: 411
        case .contentTooLarge, .decodedContentTooLarge: 413
        case .unsupportedContentCoding: 415
        case .unsupportedExpectation: 417
        default: 400
        }
    }

    var detail: String {
        let position = offset.map { " at byte \($0)" } ?? ""
        switch kind {
        case .invalidRequestLine(let line):
            return "The request line \(Self.quote(line)) is not 'method SP request-target SP HTTP-version'\(position)."
        case .invalidMethod(let method):
            return "The method \(Self.quote(method)) is not a token."
        case .invalidRequestTarget(let target):
            return "The request target \(Self.quote(target)) is not an absolute path with an optional query."
        case .requestTargetTooLong(let limit):
            return "The request target is longer than \(limit) bytes."
        case .unsupportedVersion(let version):
            return "The protocol version \(Self.quote(version)) is not supported; use HTTP/1.1."
        case .invalidVersion(let version):
            return "The protocol version \(Self.quote(version)) is not 'HTTP/' DIGIT '.' DIGIT."
        case .bareLineFeed:
            return "A line ends with LF without CR\(position); lines must end with CRLF."
        case .bareCarriageReturn:
            return "A CR is not followed by LF\(position)."
        case .tooManyEmptyLines:
            return "Too many empty lines precede the request line."
        case .obsoleteLineFolding:
            return "A field line starts with whitespace\(position); obsolete line folding is not accepted."
        case .whitespaceBeforeColon(let name):
            return "The field name \(Self.quote(name)) is followed by whitespace before the colon\(position)."
        case .invalidFieldName(let name):
            return "The field name \(Self.quote(name)) is not a token\(position)."
        case .invalidFieldValue(let name):
            return "The value of field \(Self.quote(name)) contains a control character\(position)."
        case .headerSectionTooLarge(let limit):
            return "The header section is larger than \(limit) bytes."
        case .tooManyFields(let limit):
            return "The header section has more than \(limit) field lines."
        case .missingHost:
            return "An HTTP/1.1 request must have a Host field."
        case .multipleHosts:
            return "The request has more than one Host field."
        case .invalidHost(let value):
            return "The Host \(Self.quote(value)) is not a host name or IP address with an optional port."
        case .invalidContentLength(let value):
            return "The Content-Length \(Self.quote(value)) is not a decimal number of bytes."
        case .conflictingContentLengths(let values):
            return "The Content-Length values \(Self.quote(values)) differ."
        case .contentLengthWithTransferEncoding:
            return "The request has both Content-Length and Transfer-Encoding."
        case .transferEncodingInHTTP10:
            return "An HTTP/1.0 request must not have Transfer-Encoding."
        case .chunkedNotFinal(let value):
            return "The Transfer-Encoding \(Self.quote(value)) does not end with a single 'chunked'."
        case .unsupportedTransferCoding(let value):
            return "The Transfer-Encoding \(Self.quote(value)) is not supported; only 'chunked' is."
        case .invalidChunkSize(let line):
            return "The chunk size line \(Self.quote(line)) does not start with a hexadecimal size\(position)."
        case .chunkSizeTooLarge(let size):
            return "The chunk size \(Self.quote(size)) does not fit in 63 bits\(position)."
        case .chunkLineTooLong(let limit):
            return "A chunk size or trailer line is longer than \(limit) bytes\(position)."
        case .missingChunkTerminator:
            return "The chunk data is not followed by CRLF\(position)."
        case .trailerSectionTooLarge(let limit):
            return "The trailer section is larger than \(limit) bytes."
        case .lengthRequired(let method):
            return "A \(method) request needs Content-Length or Transfer-Encoding: chunked; send the body with one of them (curl does)."
        case .contentTooLarge(let limit):
            return "The request content is larger than \(limit) bytes; split it into several requests."
        case .unsupportedContentCoding(let coding):
            return "The Content-Encoding \(Self.quote(coding)) is not supported; use gzip, deflate or identity."
        case .invalidEncodedContent(let coding, let reason):
            return "The \(coding) content is invalid: \(reason)."
        case .truncatedEncodedContent(let coding):
            return "The \(coding) content ends before the end of its stream."
        case .decodedContentTooLarge(let limit):
            return "The decoded request content is larger than \(limit) bytes; split it into several requests."
        case .unsupportedExpectation(let value):
            return "The expectation \(Self.quote(value)) is not supported; only '100-continue' is."
        }
    }

    package var description: String { detail }

    /// Quotes the first 64 characters of `text`, so that echoed input stays short.
    static func quote(_ text: String) -> String {
        let prefix = text.count > 64 ? text.prefix(64) + "..." : Substring(text)
        return "'\(prefix)'"
    }
}
