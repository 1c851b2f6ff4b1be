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

            line.append(contentsOf: bytes[index..<lineFeed])
            let lineStart = consumed - (line.count - (lineFeed - index))
            consumed += lineFeed - index + 1
            index = lineFeed + 1
            try checkPartialLineLength()

            let content = try Self.stripCarriageReturn(line, lineStart: lineStart)
            line.removeAll(keepingCapacity: true)
            if let head = try takeLine(content, lineStart: lineStart) {
                return (head, index - bytes.startIndex)
            }
        }
        return (nil, bytes.count)
    }

    private func checkPartialLineLength() throws(HTTPRequestError) {
        if requestLine == nil {
            let maxLineBytes = limits.maxRequestTargetBytes + Self.requestLineOverhead
            if line.count > maxLineBytes {
                // Only the bytes up to the limit decide, so the error is the same however the
                // reads split the line.
                throw line.prefix(maxLineBytes).contains(UInt8(ascii: " "))
                    ? HTTPRequestError(.requestTargetTooLong(limit: limits.maxRequestTargetBytes))
                    : HTTPRequestError(.invalidRequestLine(HTTPSyntax.text(line.prefix(64))), at: 0)
            }
        } else if fieldSectionBytes + line.count > limits.maxHeaderBytes {
            throw HTTPRequestError(.headerSectionTooLarge(limit: limits.maxHeaderBytes))
        }
    }

    /// Returns the line without its CR, rejecting a bare LF or a CR inside the line (section 2.2).
    private static func stripCarriageReturn(_ line: [UInt8], lineStart: Int) throws(HTTPRequestError) -> ArraySlice<UInt8> {
        guard line.last == UInt8(ascii: "\r") else {
            throw HTTPRequestError(.bareLineFeed, at: lineStart + line.count)
        }
        let content = line.dropLast()
        if let carriageReturn = content.firstIndex(of: UInt8(ascii: "\r")) {
            throw HTTPRequestError(.bareCarriageReturn, at: lineStart + carriageReturn)
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
        let parts = content.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw HTTPRequestError(.invalidRequestLine(HTTPSyntax.text(content)), at: 0)
        }

        let method = parts[0]
        guard method.allSatisfy(HTTPSyntax.isTokenByte) else {
            throw HTTPRequestError(.invalidMethod(HTTPSyntax.text(method)), at: 0)
        }

        let target = parts[1]
        if target.count > limits.maxRequestTargetBytes {
            throw HTTPRequestError(.requestTargetTooLong(limit: limits.maxRequestTargetBytes))
        }
        if let invalid = target.firstIndex(where: { !(0x21...0x7E).contains($0) }) {
            throw HTTPRequestError(.invalidRequestTarget(HTTPSyntax.text(target)), at: invalid - content.startIndex)
        }

        let version = try parseVersion(parts[2], offset: parts[2].startIndex - content.startIndex)
        return (HTTPMethod(HTTPSyntax.text(method)), HTTPSyntax.text(target), version)
    }

    /// Parses `HTTP-version = "HTTP/" DIGIT "." DIGIT` (RFC 9112, section 2.3). Major versions
    /// other than 1 get 505, and a later 1.x minor version is served as 1.1.
    static func parseVersion(_ bytes: ArraySlice<UInt8>, offset: Int) throws(HTTPRequestError) -> HTTPVersion {
        let text = HTTPSyntax.text(bytes)
        let utf8 = Array(bytes)
        let isDigit: (UInt8) -> Bool = { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard utf8.count == 8, text.hasPrefix("HTTP/"), isDigit(utf8[5]), utf8[6] == UInt8(ascii: "."), isDigit(utf8[7])
        else {
            throw HTTPRequestError(.invalidVersion(text), at: offset)
        }
        let major = Int(utf8[5] - UInt8(ascii: "0"))
        let minor = Int(utf8[7] - UInt8(ascii: "0"))
        guard major == 1 else {
            throw HTTPRequestError(.unsupportedVersion(text), at: offset)
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
