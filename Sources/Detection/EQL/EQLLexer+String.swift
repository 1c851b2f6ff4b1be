extension EQLLexer {
    /// Lexes `"..."` with EQL escapes or `"""..."""`, in which every character is literal.
    mutating func lexString() -> EQLToken {
        let start = offset
        if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
            return lexRawString()
        }
        offset += 1
        var value: [UInt8] = []
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return EQLToken(kind: .string(String(decoding: value, as: UTF8.self)), start: start, end: offset)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                return invalid(
                    "unterminated string: '\"' has no closing '\"' on the same line; use \"\"\"...\"\"\" for text over several lines",
                    at: start)
            case UInt8(ascii: "\\"):
                if let error = lexEscape(into: &value) {
                    return error
                }
            default:
                value.append(byte)
                offset += 1
            }
        }
        return invalid("unterminated string: '\"' has no closing '\"'", at: start)
    }

    private mutating func lexRawString() -> EQLToken {
        let start = offset
        offset += 3
        let contentStart = offset
        while offset + 2 < bytes.count {
            if bytes[offset] == UInt8(ascii: "\""), bytes[offset + 1] == UInt8(ascii: "\""),
                bytes[offset + 2] == UInt8(ascii: "\"")
            {
                // A raw string may end in quotes: `""""a""""` holds `"a"`, so the closing
                // delimiter is the last three of a run of quotes.
                var runEnd = offset + 3
                while runEnd < bytes.count, bytes[runEnd] == UInt8(ascii: "\"") {
                    runEnd += 1
                }
                let value = String(decoding: bytes[contentStart..<(runEnd - 3)], as: UTF8.self)
                offset = runEnd
                return EQLToken(kind: .string(value), start: start, end: offset)
            }
            offset += 1
        }
        return invalid("unterminated string: '\"\"\"' has no closing '\"\"\"'", at: start)
    }

    /// Decodes the escape sequence at `offset` (a backslash) and appends its UTF-8 bytes.
    private mutating func lexEscape(into value: inout [UInt8]) -> EQLToken? {
        let start = offset
        guard let code = peek(1) else {
            return invalid("unterminated string: it ends in a lone '\\'", at: start)
        }
        let simple: UInt8?
        switch code {
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "'"): simple = UInt8(ascii: "'")
        case UInt8(ascii: "n"): simple = UInt8(ascii: "\n")
        case UInt8(ascii: "r"): simple = UInt8(ascii: "\r")
        case UInt8(ascii: "t"): simple = UInt8(ascii: "\t")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "u"): simple = nil
        default:
            let shown = code < 0x80 ? String(UnicodeScalar(code)) : "..."
            return invalid(
                "invalid escape sequence '\\\(shown)'; write '\\\\' for a backslash, or use \"\"\"...\"\"\" for raw text",
                at: start)
        }
        if let simple {
            value.append(simple)
            offset += 2
            return nil
        }

        // \u{X} with 2 to 8 hexadecimal digits.
        guard peek(2) == UInt8(ascii: "{") else {
            return invalid("invalid Unicode escape: write '\\u{' followed by 2 to 8 hexadecimal digits and '}'", at: start)
        }
        var cursor = offset + 3
        var scalarValue: UInt32 = 0
        var digits = 0
        while cursor < bytes.count, let digit = Self.hexDigitValue(bytes[cursor]) {
            scalarValue = scalarValue &* 16 &+ UInt32(digit)
            digits += 1
            cursor += 1
        }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "}"), (2...8).contains(digits) else {
            return invalid("invalid Unicode escape: write '\\u{' followed by 2 to 8 hexadecimal digits and '}'", at: start)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else {
            return invalid("invalid Unicode escape: U+\(String(scalarValue, radix: 16, uppercase: true)) is not a Unicode scalar value", at: start)
        }
        value.append(contentsOf: String(Character(scalar)).utf8)
        offset = cursor + 1
        return nil
    }

    private static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
