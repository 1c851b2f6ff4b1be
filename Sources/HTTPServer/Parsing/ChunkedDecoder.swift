/// An incremental decoder for the chunked transfer coding (RFC 9112, section 7.1). It accepts the
/// bytes split at any point, ignores chunk extensions (section 7.1.1) and discards the trailer
/// section (section 7.1.2), as a recipient may.
struct ChunkedDecoder {
    /// The longest chunk size line or trailer line accepted, extensions included.
    static let maxLineBytes = 4096

    private enum State {
        case sizeLine
        case data(remaining: Int)
        case dataTerminator
        case trailerLine
        case done
    }

    private let maxBodyBytes: Int
    private let maxTrailerBytes: Int
    private var state = State.sizeLine
    private var line: [UInt8] = []
    private var trailerBytes = 0
    /// Bytes of the chunked body consumed so far; byte offsets in errors count from its start.
    private var consumed = 0
    private(set) var body: [UInt8] = []

    init(maxBodyBytes: Int, maxTrailerBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    var isComplete: Bool {
        if case .done = state { true } else { false }
    }

    /// Consumes bytes up to the end of the chunked body and returns how many it took from `bytes`.
    mutating func decode(_ bytes: ArraySlice<UInt8>) throws(HTTPRequestError) -> Int {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch state {
            case .done:
                return index - bytes.startIndex

            case .data(let remaining):
                let count = min(remaining, bytes.endIndex - index)
                body.append(contentsOf: bytes[index..<(index + count)])
                index += count
                consumed += count
                state = remaining == count ? .dataTerminator : .data(remaining: remaining - count)

            case .dataTerminator:
                // The CRLF after chunk data, possibly split across calls.
                let expected = line.isEmpty ? UInt8(ascii: "\r") : UInt8(ascii: "\n")
                guard bytes[index] == expected else {
                    throw HTTPRequestError(.missingChunkTerminator, at: consumed)
                }
                index += 1
                consumed += 1
                if line.isEmpty {
                    line.append(expected)
                } else {
                    line.removeAll(keepingCapacity: true)
                    state = .sizeLine
                }

            case .sizeLine, .trailerLine:
                guard let lineFeed = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else {
                    line.append(contentsOf: bytes[index...])
                    consumed += bytes.endIndex - index
                    try checkLineLength(lineStart: consumed - line.count)
                    return bytes.count
                }
                line.append(contentsOf: bytes[index..<lineFeed])
                let lineStart = consumed - (line.count - (lineFeed - index))
                consumed += lineFeed - index + 1
                index = lineFeed + 1
                try checkLineLength(lineStart: lineStart)
                try takeLine(lineStart: lineStart)
                line.removeAll(keepingCapacity: true)
            }
        }
        return index - bytes.startIndex
    }

    private func checkLineLength(lineStart: Int) throws(HTTPRequestError) {
        if line.count > Self.maxLineBytes {
            throw HTTPRequestError(.chunkLineTooLong(limit: Self.maxLineBytes), at: lineStart)
        }
    }

    private mutating func takeLine(lineStart: Int) throws(HTTPRequestError) {
        guard line.last == UInt8(ascii: "\r") else {
            throw HTTPRequestError(.bareLineFeed, at: lineStart + line.count)
        }
        let content = line.dropLast()
        if let carriageReturn = content.firstIndex(of: UInt8(ascii: "\r")) {
            throw HTTPRequestError(.bareCarriageReturn, at: lineStart + carriageReturn)
        }

        if case .trailerLine = state {
            trailerBytes += line.count + 1
            if trailerBytes > maxTrailerBytes {
                throw HTTPRequestError(.trailerSectionTooLarge(limit: maxTrailerBytes))
            }
            if content.isEmpty {
                state = .done
            } else {
                // Validated like a header field line, then dropped.
                _ = try RequestHeadParser.parseFieldLine(content, lineStart: lineStart)
            }
            return
        }

        let size = try Self.parseChunkSize(content, lineStart: lineStart)
        if size == 0 {
            state = .trailerLine
        } else if size > maxBodyBytes - body.count {
            throw HTTPRequestError(.contentTooLarge(limit: maxBodyBytes))
        } else {
            body.reserveCapacity(body.count + size)
            state = .data(remaining: size)
        }
    }

    /// Parses `chunk-size [ chunk-ext ]`, where chunk-size is 1*HEXDIG and the extensions,
    /// `BWS ";" ...`, are ignored.
    static func parseChunkSize(_ content: ArraySlice<UInt8>, lineStart: Int) throws(HTTPRequestError) -> Int {
        let digits = content.prefix(while: { PercentDecoding.hexValue($0) != nil })
        let rest = content[digits.endIndex...].drop(while: HTTPSyntax.isWhitespace)
        guard !digits.isEmpty, rest.isEmpty || rest.first == UInt8(ascii: ";") else {
            throw HTTPRequestError(.invalidChunkSize(HTTPSyntax.text(content)), at: lineStart)
        }
        if let invalid = rest.firstIndex(where: { !HTTPSyntax.isFieldValueByte($0) }) {
            throw HTTPRequestError(.invalidChunkSize(HTTPSyntax.text(content)), at: lineStart + invalid - content.startIndex)
        }

        var size = 0
        for digit in digits {
            let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
            guard !overflow else {
                throw HTTPRequestError(.chunkSizeTooLarge(HTTPSyntax.text(digits)), at: lineStart)
            }
            size = shifted + Int(PercentDecoding.hexValue(digit)!)
        }
        return size
    }
}
