/// An incremental parser for a request head: the request line and the field lines up to the empty
/// line (RFC 9112, sections 2.2, 3 and 5). It accepts the bytes split at any point, and it keeps at
/// most one partial line, so its memory is bounded by the configured limits.
///
/// The parser is stricter than the grammar in places where RFC 9112 permits it. A line must end
/// with CRLF (section 2.2), and the request line is split at single spaces (section 3). Whitespace
/// before a field's colon and obsolete line folding are rejected (sections 5.1 and 5.2).
struct RequestHeadParser {
    struct Limits {
        var maxRequestTargetBytes: Int
        var maxHeaderBytes: Int
        var maxHeaderCount: Int
    }

    /// The empty lines tolerated before a request line (RFC 9112, section 2.2).
    static let maxLeadingEmptyLines = 8
    /// Room for the method, two spaces, the version and CRLF on top of the request target.
    static let requestLineOverhead = 64

    private let limits: Limits
    private var line: [UInt8] = []
    /// Bytes of this head consumed so far; byte offsets in errors count from the head's start.
    private var consumed = 0
    /// The request line once it is parsed, also after a later line was rejected.
    private(set) var requestLine: (method: HTTPMethod, target: String, version: HTTPVersion)?
    private var fields = HTTPFields()
    private var fieldSectionBytes = 0
    private var emptyLines = 0

    init(limits: Limits) {
        self.limits = limits
    }

    /// Consumes bytes up to the end of the head. Returns the head once its empty line has arrived,
    /// with the count of bytes taken from `bytes`. The bytes after it belong to the body or the
    /// next request.
    mutating func parse(_ bytes: ArraySlice<UInt8>) throws(HTTPRequestError) -> (head: RequestHead?, consumed: Int) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard let lineFeed = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else {
                line.append(contentsOf: bytes[index...])
                consumed += bytes.endIndex - index
                try checkPartialLineLength()
                return (nil, bytes.count)
            }

            let lineStart = consumed - line.count
            consumed += lineFeed - index + 1
            let content: ArraySlice<UInt8>
            if line.isEmpty {
                // The whole line is in `bytes`, as it usually is: no copy.
                let whole = bytes[index..<lineFeed]
                try checkLength(of: whole)
                content = try Self.stripCarriageReturn(whole, lineStart: lineStart)
            } else {
                line.append(contentsOf: bytes[index..<lineFeed])
                try checkPartialLineLength()
                content = try Self.stripCarriageReturn(line[...], lineStart: lineStart)
                line.removeAll(keepingCapacity: true)
            }
            index = lineFeed + 1
            if let head = try takeLine(content, lineStart: lineStart) {
                return (head, index - bytes.startIndex)
            }
        }
        return (nil, bytes.count)
    }

    private func checkPartialLineLength() throws(HTTPRequestError) {
        try checkLength(of: line[...])
    }

    /// Rejects a line, complete or not, that is already past the request line's or the header
    /// section's limit.
    private func checkLength(of partialLine: ArraySlice<UInt8>) throws(HTTPRequestError) {
        if requestLine == nil {
            let maxLineBytes = limits.maxRequestTargetBytes + Self.requestLineOverhead
            if partialLine.count > maxLineBytes {
                throw tooLongError(for: partialLine)
            }
        } else if fieldSectionBytes + partialLine.count > limits.maxHeaderBytes {
            throw HTTPRequestError(.headerSectionTooLarge(limit: limits.maxHeaderBytes))
        }
    }

    /// Only the bytes up to the limit decide, so the error is the same however the reads split
    /// the line.
    private func tooLongError(for requestLine: ArraySlice<UInt8>) -> HTTPRequestError {
        let maxLineBytes = limits.maxRequestTargetBytes + Self.requestLineOverhead
        return requestLine.prefix(maxLineBytes).contains(UInt8(ascii: " "))
            ? HTTPRequestError(.requestTargetTooLong(limit: limits.maxRequestTargetBytes))
            : HTTPRequestError(.invalidRequestLine(HTTPSyntax.text(requestLine.prefix(64))), at: 0)
    }

    /// Returns the line without its CR, rejecting a bare LF or a CR inside the line (section 2.2).
    private static func stripCarriageReturn(_ line: ArraySlice<UInt8>, lineStart: Int) throws(HTTPRequestError) -> ArraySlice<UInt8> {
        guard line.last == UInt8(ascii: "\r") else {
            throw HTTPRequestError(.bareLineFeed, at: lineStart + line.count)
        }
        let content = line.dropLast()
        if let carriageReturn = content.firstIndex(of: UInt8(ascii: "\r")) {
            throw HTTPRequestError(.bareCarriageReturn, at: lineStart + carriageReturn - content.startIndex)
        }
        return content
    }

    private mutating func takeLine(_ content: ArraySlice<UInt8>, lineStart: Int) throws(HTTPRequestError) -> RequestHead? {
        guard let requestLine else {
            if content.isEmpty {
                emptyLines += 1
                if emptyLines > Self.maxLeadingEmptyLines {
                    throw HTTPRequestError(.tooManyEmptyLines, at: lineStart)
                }
                return nil
            }
            self.requestLine = try Self.parseRequestLine(content, limits: limits)
            return nil
        }

        fieldSectionBytes += content.count + 2
        if content.isEmpty {
            return RequestHead(
                method: requestLine.method,
                target: requestLine.target,
                version: requestLine.version,
                fields: fields
            )
        }
        if fieldSectionBytes > limits.maxHeaderBytes {
            throw HTTPRequestError(.headerSectionTooLarge(limit: limits.maxHeaderBytes))
        }
        if fields.count >= limits.maxHeaderCount {
            throw HTTPRequestError(.tooManyFields(limit: limits.maxHeaderCount))
        }
        let (name, value) = try Self.parseFieldLine(content, lineStart: lineStart)
        fields.append(name, value)
        return nil
    }

    /// Parses `method SP request-target SP HTTP-version` (RFC 9112, section 3).
    static func parseRequestLine(
        _ content: ArraySlice<UInt8>,
        limits: Limits
    ) throws(HTTPRequestError) -> (method: HTTPMethod, target: String, version: HTTPVersion) {
        guard let firstSpace = content.firstIndex(of: UInt8(ascii: " ")),
            let secondSpace = content[(firstSpace + 1)...].firstIndex(of: UInt8(ascii: " ")),
            !content[(secondSpace + 1)...].contains(UInt8(ascii: " ")),
            firstSpace > content.startIndex, secondSpace > firstSpace + 1, secondSpace + 1 < content.endIndex
        else {
            throw HTTPRequestError(.invalidRequestLine(HTTPSyntax.text(content)), at: 0)
        }
        let method = content[..<firstSpace]
        guard method.allSatisfy(HTTPSyntax.isTokenByte) else {
            throw HTTPRequestError(.invalidMethod(HTTPSyntax.text(method)), at: 0)
        }

        let target = content[(firstSpace + 1)..<secondSpace]
        if target.count > limits.maxRequestTargetBytes {
            throw HTTPRequestError(.requestTargetTooLong(limit: limits.maxRequestTargetBytes))
        }
        if let invalid = target.firstIndex(where: { !(0x21...0x7E).contains($0) }) {
            throw HTTPRequestError(.invalidRequestTarget(HTTPSyntax.text(target)), at: invalid - content.startIndex)
        }

        let version = try parseVersion(content[(secondSpace + 1)...], offset: secondSpace + 1 - content.startIndex)
        return (HTTPMethod(HTTPSyntax.text(method)), HTTPSyntax.text(target), version)
    }

    /// Parses `HTTP-version = "HTTP/" DIGIT "." DIGIT` (RFC 9112, section 2.3). Major versions
    /// other than 1 get 505, and a later 1.x minor version is served as 1.1.
    static func parseVersion(_ bytes: ArraySlice<UInt8>, offset: Int) throws(HTTPRequestError) -> HTTPVersion {
        let isDigit: (UInt8) -> Bool = { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        let start = bytes.startIndex
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), isDigit(bytes[start + 5]), bytes[start + 6] == UInt8(ascii: "."),
            isDigit(bytes[start + 7])
        else {
            throw HTTPRequestError(.invalidVersion(HTTPSyntax.text(bytes)), at: offset)
        }
        let major = Int(bytes[start + 5] - UInt8(ascii: "0"))
        let minor = Int(bytes[start + 7] - UInt8(ascii: "0"))
        guard major == 1 else {
            throw HTTPRequestError(.unsupportedVersion(HTTPSyntax.text(bytes)), at: offset)
        }
        return HTTPVersion(major: major, minor: minor)
    }

    /// Parses `field-name ":" OWS field-value OWS` (RFC 9112, section 5).
    static func parseFieldLine(
        _ content: ArraySlice<UInt8>,
        lineStart: Int
    ) throws(HTTPRequestError) -> (name: String, value: String) {
        if HTTPSyntax.isWhitespace(content.first!) {
            throw HTTPRequestError(.obsoleteLineFolding, at: lineStart)
        }
        guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else {
            throw HTTPRequestError(.invalidFieldName(HTTPSyntax.text(content)), at: lineStart)
        }

        let nameBytes = content[..<colon]
        if let last = nameBytes.last, HTTPSyntax.isWhitespace(last) {
            let name = HTTPSyntax.text(nameBytes).trimmingHTTPWhitespace()
            throw HTTPRequestError(.whitespaceBeforeColon(name), at: lineStart + colon - content.startIndex - 1)
        }
        guard !nameBytes.isEmpty, nameBytes.allSatisfy(HTTPSyntax.isTokenByte) else {
            throw HTTPRequestError(.invalidFieldName(HTTPSyntax.text(nameBytes)), at: lineStart)
        }
        let name = HTTPSyntax.text(nameBytes)

        var value = content[(colon + 1)...]
        while let first = value.first, HTTPSyntax.isWhitespace(first) {
            value = value.dropFirst()
        }
        while let last = value.last, HTTPSyntax.isWhitespace(last) {
            value = value.dropLast()
        }
        if let invalid = value.firstIndex(where: { !HTTPSyntax.isFieldValueByte($0) }) {
            throw HTTPRequestError(.invalidFieldValue(name: name), at: lineStart + invalid - content.startIndex)
        }
        return (name, HTTPSyntax.text(value))
    }
}
