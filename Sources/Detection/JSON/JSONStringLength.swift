/// Finds strings longer than a limit in JSON text that a parser has already accepted.
///
/// simdjson accepts strings of any length, so this check runs after it, and only on texts
/// longer than the limit, because a shorter text cannot hold a longer string.
enum JSONStringLength {
    /// Returns the byte offset of the opening quote of the first string, object keys included,
    /// whose unescaped UTF-8 length exceeds `maxBytes`, or nil when there is none. `bytes` must
    /// be valid JSON.
    static func firstStringLonger(than maxBytes: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count > maxBytes + 2 else { return nil }
        let quote = UInt8(ascii: "\"")
        let backslash = UInt8(ascii: "\\")
        var index = 0
        while index < bytes.count {
            guard bytes[index] == quote else {
                index += 1
                continue
            }
            let start = index
            var length = 0
            index += 1
            while index < bytes.count, bytes[index] != quote {
                if bytes[index] == backslash {
                    let (decodedBytes, escapeBytes) = escapeLength(at: index, in: bytes)
                    length += decodedBytes
                    index += escapeBytes
                } else {
                    length += 1
                    index += 1
                }
            }
            if length > maxBytes {
                return start
            }
            index += 1
        }
        return nil
    }

    /// Returns how many UTF-8 bytes the escape at `index` stands for and how many bytes it
    /// takes in the text. A surrogate pair `\uD83D\uDE00` is 4 bytes for 12.
    private static func escapeLength(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (decoded: Int, encoded: Int) {
        guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
            return (1, 2)
        }
        guard let unit = codeUnit(at: index + 2, in: bytes) else { return (1, 2) }
        switch unit {
        case 0..<0x80: return (1, 6)
        case 0x80..<0x800: return (2, 6)
        case 0xD800..<0xDC00: return (4, 12)
        default: return (3, 6)
        }
    }

    private static func codeUnit(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var unit: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt32(digit)
        }
        return unit
    }
}
