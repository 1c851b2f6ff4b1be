/// Splits EQL query text into tokens. Works on UTF-8 bytes and records byte offsets only;
/// `EQLError` computes lines and columns when an error is built.
///
/// Lexing stops at the first lexical error, which becomes the last token.
struct EQLLexer {
    let bytes: [UInt8]
    var offset = 0

    init(_ source: String) {
        self.bytes = Array(source.utf8)
    }

    static func tokens(of source: String) -> [EQLToken] {
        var lexer = EQLLexer(source)
        var tokens: [EQLToken] = []
        while true {
            let token = lexer.next()
            tokens.append(token)
            switch token.kind {
            case .end, .invalid:
                return tokens
            default:
                continue
            }
        }
    }

    mutating func next() -> EQLToken {
        if let error = skipWhitespaceAndComments() {
            return error
        }
        guard offset < bytes.count else {
            return EQLToken(kind: .end, start: offset, end: offset)
        }

        let start = offset
        let byte = bytes[offset]
        switch byte {
        case UInt8(ascii: "\""):
            return lexString()
        case UInt8(ascii: "`"):
            return lexQuotedField()
        case UInt8(ascii: "'"):
            return invalid("strings are written in double quotes, not single quotes", at: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return lexNumber()
        case _ where Self.isWordStart(byte):
            return lexWord()
        default:
            return lexSymbol()
        }
    }

    // MARK: - Whitespace and comments

    private mutating func skipWhitespaceAndComments() -> EQLToken? {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                offset += 1
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
                while offset < bytes.count, bytes[offset] != UInt8(ascii: "\n") {
                    offset += 1
                }
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                let start = offset
                offset += 2
                while offset < bytes.count, !(bytes[offset] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                    offset += 1
                }
                guard offset < bytes.count else {
                    return invalid("unterminated comment: '/*' has no closing '*/'", at: start)
                }
                offset += 2
            default:
                return nil
            }
        }
        return nil
    }

    // MARK: - Words and fields

    private static func isWordStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "@")
    }

    private static func isWordPart(_ byte: UInt8) -> Bool {
        isWordStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// Lexes a keyword, function name or dotted field name such as `process.parent.name`.
    private mutating func lexWord() -> EQLToken {
        let start = offset
        while offset < bytes.count {
            if Self.isWordPart(bytes[offset]) {
                offset += 1
            } else if bytes[offset] == UInt8(ascii: "."), let next = peek(1), Self.isWordPart(next) {
                offset += 1
            } else {
                break
            }
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        var tilde = false
        if peek(0) == UInt8(ascii: "~") {
            tilde = true
            offset += 1
        }
        return EQLToken(kind: .word(text, tilde: tilde), start: start, end: offset)
    }

    private mutating func lexQuotedField() -> EQLToken {
        let start = offset
        offset += 1
        var name: [UInt8] = []
        while offset < bytes.count {
            if bytes[offset] == UInt8(ascii: "`") {
                if peek(1) == UInt8(ascii: "`") {
                    name.append(UInt8(ascii: "`"))
                    offset += 2
                    continue
                }
                offset += 1
                guard !name.isEmpty else {
                    return invalid("a field name in backquotes must not be empty", at: start)
                }
                return EQLToken(kind: .quotedField(String(decoding: name, as: UTF8.self)), start: start, end: offset)
            }
            if bytes[offset] == UInt8(ascii: "\n") {
                break
            }
            name.append(bytes[offset])
            offset += 1
        }
        return invalid("unterminated field name: '`' has no closing '`' on the same line", at: start)
    }

    // MARK: - Numbers

    private mutating func lexNumber() -> EQLToken {
        let start = offset
        var isDecimal = false
        skipDigits()
        if peek(0) == UInt8(ascii: "."), let next = peek(1), next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") {
            isDecimal = true
            offset += 1
            skipDigits()
        }
        if let marker = peek(0), marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            var exponentStart = offset + 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponentStart += 1
            }
            if exponentStart < bytes.count, bytes[exponentStart] >= UInt8(ascii: "0"),
                bytes[exponentStart] <= UInt8(ascii: "9")
            {
                isDecimal = true
                offset = exponentStart
                skipDigits()
            }
        }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        if !isDecimal, let value = Int64(text) {
            return EQLToken(kind: .integer(value), start: start, end: offset)
        }
        guard let value = Double(text), value.isFinite else {
            return invalid("number \(text) is out of range", at: start)
        }
        return EQLToken(kind: .decimal(value), start: start, end: offset)
    }

    private mutating func skipDigits() {
        while let byte = peek(0), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            offset += 1
        }
    }

    // MARK: - Symbols

    private mutating func lexSymbol() -> EQLToken {
        let start = offset
        let byte = bytes[offset]
        let next = peek(1)
        let symbol: EQLToken.Symbol
        var length = 1
        switch byte {
        case UInt8(ascii: "("): symbol = .leftParenthesis
        case UInt8(ascii: ")"): symbol = .rightParenthesis
        case UInt8(ascii: "["): symbol = .leftBracket
        case UInt8(ascii: "]"): symbol = .rightBracket
        case UInt8(ascii: ","): symbol = .comma
        case UInt8(ascii: ":"): symbol = .colon
        case UInt8(ascii: "|"): symbol = .pipe
        case UInt8(ascii: "+"): symbol = .plus
        case UInt8(ascii: "-"): symbol = .minus
        case UInt8(ascii: "*"): symbol = .star
        case UInt8(ascii: "/"): symbol = .slash
        case UInt8(ascii: "%"): symbol = .percent
        case UInt8(ascii: "?"):
            if next == UInt8(ascii: "\"") {
                return invalid(
                    "the raw string form ?\"...\" is not supported; write \"\"\"...\"\"\" instead",
                    at: start, unsupportedFeature: "?\"...\" raw string")
            }
            symbol = .question
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") {
                symbol = .equal
                length = 2
            } else {
                symbol = .assign
            }
        case UInt8(ascii: "!"):
            guard next == UInt8(ascii: "=") else {
                return invalid("unexpected '!'; write 'not' to negate or '!=' to compare", at: start)
            }
            symbol = .notEqual
            length = 2
        case UInt8(ascii: "<"):
            symbol = next == UInt8(ascii: "=") ? .lessOrEqual : .less
            length = next == UInt8(ascii: "=") ? 2 : 1
        case UInt8(ascii: ">"):
            symbol = next == UInt8(ascii: "=") ? .greaterOrEqual : .greater
            length = next == UInt8(ascii: "=") ? 2 : 1
        default:
            let value = bytes.withUnsafeBytes { UTF8Scalar.decode($0, at: start).value }
            let character = Unicode.Scalar(value).map { String(Character($0)) } ?? "byte \(byte)"
            return invalid("unexpected character '\(character)'", at: start)
        }
        offset += length
        return EQLToken(kind: .symbol(symbol), start: start, end: offset)
    }

    // MARK: - Helpers

    func peek(_ distance: Int) -> UInt8? {
        let index = offset + distance
        return index < bytes.count ? bytes[index] : nil
    }

    func invalid(_ message: String, at start: Int, unsupportedFeature: String? = nil) -> EQLToken {
        EQLToken(kind: .invalid(message: message, unsupportedFeature: unsupportedFeature), start: start, end: start)
    }
}
