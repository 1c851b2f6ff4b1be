/// The first syntax error in a JSON text: what was expected and the byte offset where it failed.
struct JSONSyntaxError: Error, Equatable {
    let message: String
    let byteOffset: Int
    /// The input limit the text exceeds, when the error is one.
    var limit: InputLimit? = nil
}

/// A strict RFC 8259 validator that finds the position of the first error.
///
/// simdjson reports that a document is invalid but not where, so this scanner runs only after
/// simdjson has rejected a text. It checks the grammar, UTF-8 (RFC 3629: no overlong forms, no
/// surrogates, nothing past U+10FFFF), `\u` escapes with paired surrogates, the number range
/// simdjson accepts (integers within 64 bits, finite doubles) and the parser's nesting limit.
struct JSONSyntaxScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var offset = 0
    private var depth = 0
    /// Whether an input limit error is recorded in `firstLimitError` and the scan goes on, so
    /// that a syntax error after it is still found.
    private var defersLimits = false
    private var firstLimitError: JSONSyntaxError?

    /// Returns the first error in `bytes`, or nil when the text is one valid JSON value.
    static func firstError(in bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> JSONSyntaxError? {
        var scanner = JSONSyntaxScanner(bytes: bytes, maxDepth: maxDepth)
        do {
            try scanner.scanDocument()
            return nil
        } catch {
            return error
        }
    }

    /// The result of `check(_:maxDepth:)` for a text.
    enum Verdict: Equatable {
        case valid
        /// The text is valid JSON apart from input limits; this is the first limit it breaks.
        case breaksLimit(JSONSyntaxError)
        /// The first error that is not an input limit.
        case invalid(JSONSyntaxError)
    }

    /// Scans the whole of `bytes`, going on past input limit errors to tell a text that only
    /// breaks limits from one that is not JSON. Past the nesting limit, a value's brackets and
    /// quotes are matched without checking its grammar, so that no recursion goes deeper.
    static func check(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> Verdict {
        var scanner = JSONSyntaxScanner(bytes: bytes, maxDepth: maxDepth)
        scanner.defersLimits = true
        do {
            try scanner.scanDocument()
        } catch {
            return .invalid(error)
        }
        return scanner.firstLimitError.map(Verdict.breaksLimit) ?? .valid
    }

    /// Throws `error`, an input limit error, unless limits are deferred; then records it when it
    /// is the first.
    private mutating func exceeded(_ error: JSONSyntaxError) throws(JSONSyntaxError) {
        guard defersLimits else {
            throw error
        }
        if firstLimitError == nil {
            firstLimitError = error
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private mutating func scanDocument() throws(JSONSyntaxError) {
        skipWhitespace()
        guard offset < bytes.count else {
            throw failure("expected a JSON value, found the end of the input")
        }
        try scanValue()
        skipWhitespace()
        if offset < bytes.count {
            throw failure("unexpected data after the JSON value")
        }
    }

    private mutating func scanValue() throws(JSONSyntaxError) {
        guard let byte = peek() else {
            throw failure("expected a JSON value, found the end of the input")
        }
        switch byte {
        case UInt8(ascii: "{"): try scanObject()
        case UInt8(ascii: "["): try scanArray()
        case UInt8(ascii: "\""): try scanString()
        case UInt8(ascii: "t"): try scanLiteral("true")
        case UInt8(ascii: "f"): try scanLiteral("false")
        case UInt8(ascii: "n"): try scanLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        default: throw failure("expected a JSON value")
        }
    }

    /// Steps into the array or object at `offset`. Returns false when it lies past the nesting
    /// limit and limits are deferred: the container has then been skipped whole.
    private mutating func enterContainer() throws(JSONSyntaxError) -> Bool {
        depth += 1
        if depth > maxDepth {
            try exceeded(failure("nesting deeper than \(maxDepth) arrays and objects", limit: .maxDepth(maxDepth)))
            try skipContainer()
            depth -= 1
            return false
        }
        offset += 1
        return true
    }

    /// Moves past the array or object at `offset` by matching brackets and braces outside
    /// strings, without recursion.
    private mutating func skipContainer() throws(JSONSyntaxError) {
        var open = 0
        var inString = false
        while let byte = peek() {
            offset += 1
            if inString {
                if byte == UInt8(ascii: "\\") {
                    offset += 1
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"): open += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                open -= 1
                if open == 0 {
                    return
                }
            default: break
            }
        }
        throw failure("expected the end of an array or object, found the end of the input")
    }

    private mutating func scanObject() throws(JSONSyntaxError) {
        guard try enterContainer() else {
            return
        }
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw failure("expected a string key")
            }
            try scanString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                throw failure("expected ':' after an object key")
            }
            offset += 1
            skipWhitespace()
            try scanValue()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                depth -= 1
                return
            default:
                throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func scanArray() throws(JSONSyntaxError) {
        guard try enterContainer() else {
            return
        }
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try scanValue()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                depth -= 1
                return
            default:
                throw failure("expected ',' or ']'")
            }
        }
    }

    private mutating func scanLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard peek() == byte else {
                throw failure("invalid literal: expected '\(literal)'")
            }
            offset += 1
        }
    }

    private mutating func scanNumber() throws(JSONSyntaxError) {
        let start = offset
        if peek() == UInt8(ascii: "-") { offset += 1 }
        var isInteger = true
        if peek() == UInt8(ascii: "0") {
            offset += 1
            if let next = peek(), isDigit(next) {
                throw failure("invalid number: leading zero")
            }
        } else {
            try scanDigits(after: "'-'")
        }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            offset += 1
            try scanDigits(after: "'.'")
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            try scanDigits(after: "the exponent")
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        // simdjson stores integers as Int64 or UInt64 and rejects any other integer literal.
        let end = offset
        if isInteger, Int64(text) == nil, UInt64(text) == nil {
            offset = start
            let error = failure("integer out of range: \(text.prefix(40)) does not fit in 64 bits", limit: .numberRange)
            offset = end
            try exceeded(error)
        } else if let value = Double(text), !value.isFinite {
            offset = start
            let error = failure("number out of range: \(text.prefix(40))", limit: .numberRange)
            offset = end
            try exceeded(error)
        }
    }

    private mutating func scanDigits(after what: String) throws(JSONSyntaxError) {
        guard let first = peek(), isDigit(first) else {
            throw failure("invalid number: expected a digit after \(what)")
        }
        while let byte = peek(), isDigit(byte) { offset += 1 }
    }

    private mutating func scanString() throws(JSONSyntaxError) {
        offset += 1
        while true {
            guard let byte = peek() else {
                throw failure("unterminated string")
            }
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return
            case UInt8(ascii: "\\"):
                try scanEscape()
            case 0..<0x20:
                throw failure("control character U+\(hex4(UInt32(byte))) in a string must be escaped")
            case 0..<0x80:
                offset += 1
            default:
                try scanUTF8Sequence()
            }
        }
    }

    private mutating func scanEscape() throws(JSONSyntaxError) {
        guard let escaped = byte(at: offset + 1) else {
            throw failure("unterminated string")
        }
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            offset += 2
        case UInt8(ascii: "u"):
            let unit = try scanUnicodeEscape()
            if (0xD800...0xDBFF).contains(unit) {
                let highStart = offset - 6
                guard byte(at: offset) == UInt8(ascii: "\\"), byte(at: offset + 1) == UInt8(ascii: "u") else {
                    offset = highStart
                    throw failure("high surrogate \\u\(hex4(unit)) is not followed by a low surrogate")
                }
                let low = try scanUnicodeEscape()
                guard (0xDC00...0xDFFF).contains(low) else {
                    offset = highStart
                    throw failure("high surrogate \\u\(hex4(unit)) is not followed by a low surrogate")
                }
            } else if (0xDC00...0xDFFF).contains(unit) {
                offset -= 6
                throw failure("low surrogate \\u\(hex4(unit)) without a high surrogate")
            }
        default:
            throw failure("invalid escape sequence")
        }
    }

    /// Scans `\uXXXX` at `offset` and returns its code unit.
    private mutating func scanUnicodeEscape() throws(JSONSyntaxError) -> UInt32 {
        var unit: UInt32 = 0
        for index in 2..<6 {
            guard let digit = byte(at: offset + index).flatMap(hexValue) else {
                throw failure("invalid \\u escape: expected four hexadecimal digits")
            }
            unit = unit << 4 | digit
        }
        offset += 6
        return unit
    }

    private mutating func scanUTF8Sequence() throws(JSONSyntaxError) {
        let lead = bytes[offset]
        let length: Int
        var validSecond: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; validSecond = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; validSecond = 0x80...0x9F
        case 0xF0: length = 4; validSecond = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; validSecond = 0x80...0x8F
        default:
            // Past a bad byte the scan goes on with the next one, when limits are deferred.
            try exceeded(failure("invalid UTF-8 byte 0x\(String(lead, radix: 16, uppercase: true))", limit: .utf8))
            offset += 1
            return
        }
        for index in 1..<length {
            let range = index == 1 ? validSecond : 0x80...0xBF
            guard let next = byte(at: offset + index), range.contains(next) else {
                try exceeded(failure("invalid UTF-8 sequence starting with byte 0x\(String(lead, radix: 16, uppercase: true))", limit: .utf8))
                offset += 1
                return
            }
        }
        offset += length
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        {
            offset += 1
        }
    }

    private func peek() -> UInt8? { byte(at: offset) }

    private func byte(at index: Int) -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private func failure(_ message: String, limit: InputLimit? = nil) -> JSONSyntaxError {
        JSONSyntaxError(message: message, byteOffset: offset, limit: limit)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// Returns the 1-based line and column of a byte offset. Columns count Unicode scalars, so the
/// text before `byteOffset` should be valid UTF-8, which it is up to the scanner's first error.
func textPosition(of byteOffset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    for index in 0..<min(byteOffset, bytes.count) {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }
    return (line, column)
}
