extension FieldValue {
    /// Calls `body` with the UTF-8 text of this value: a string as is, an integer in decimal,
    /// a Boolean as `true` or `false`, a double as Swift prints it (`1.5`, `2.0`).
    ///
    /// Integers and Booleans are formatted into stack memory, so comparing a numeric event
    /// field with a string pattern allocates only for doubles.
    func withStringForm<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch self {
        case .string(let bytes):
            return body(bytes)
        case .bool(let value):
            let text: StaticString = value ? "true" : "false"
            return text.withUTF8Buffer { body(UnsafeRawBufferPointer($0)) }
        case .integer(let value):
            return Self.withDecimalDigits(magnitude: value.magnitude, negative: value < 0, body)
        case .unsignedInteger(let value):
            return Self.withDecimalDigits(magnitude: value, negative: false, body)
        case .double(let value):
            var text = value.description
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// A copy of the value as an EQL value, for function arguments and arithmetic.
    var eqlValue: EQLValue {
        switch self {
        case .string(let bytes):
            return .string(String(decoding: bytes, as: UTF8.self))
        case .integer(let value):
            return .integer(value)
        case .unsignedInteger(let value):
            return value <= UInt64(Int64.max) ? .integer(Int64(value)) : .double(Double(value))
        case .double(let value):
            return .double(value)
        case .bool(let value):
            return .bool(value)
        }
    }

    private static func withDecimalDigits<Result>(
        magnitude: UInt64,
        negative: Bool,
        _ body: (UnsafeRawBufferPointer) -> Result
    ) -> Result {
        // 20 digits hold UInt64.max; one more byte holds the sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { buffer in
            var remaining = magnitude
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0
            if negative {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return body(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[start...])))
        }
    }
}
