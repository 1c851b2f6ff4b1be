import Glibc

/// A literal from the query, prepared for comparison with event field values: its UTF-8
/// bytes, its case-folded form and its numeric value are computed once at compile time.
struct EQLConstant: Sendable {
    let value: EQLValue
    let utf8: [UInt8]
    /// The literal as a case-insensitive literal pattern, for `in~` and `:`.
    let folded: WildcardPattern
    let number: Double?
    /// Whether `value` is a string, stored so that the common string comparison does not copy
    /// `value` to inspect it.
    let isString: Bool

    init(_ value: EQLValue) {
        self.value = value
        self.isString = value.isString
        let text = value.text ?? ""
        self.utf8 = Array(text.utf8)
        self.folded = WildcardPattern(literal: text, caseInsensitive: true)
        self.number = value.number
    }

    /// Whether `field` equals the constant. Strings compare byte for byte unless
    /// `caseInsensitive`; a number and a numeric string compare as numbers, the way
    /// Elasticsearch converts a query term to the type of the field.
    func equals(_ field: FieldValue, caseInsensitive: Bool) -> Bool {
        if isString, case .string(let bytes) = field {
            return caseInsensitive ? folded.matches(bytes) : Self.bytesEqual(bytes, utf8)
        }
        switch (field, value) {
        case (.string(let bytes), .string):
            return caseInsensitive ? folded.matches(bytes) : Self.bytesEqual(bytes, utf8)
        case (.string(let bytes), .integer), (.string(let bytes), .double):
            guard let number, let fieldNumber = Self.number(in: bytes) else {
                return false
            }
            return fieldNumber == number
        case (.integer(let fieldValue), .integer(let constantValue)):
            return fieldValue == constantValue
        case (.bool(let fieldValue), .bool(let constantValue)):
            return fieldValue == constantValue
        case (_, .null):
            return false
        default:
            // A number or Boolean field against a string constant, or mixed numeric types.
            if let fieldNumber = Self.number(of: field), let number {
                return fieldNumber == number
            }
            return field.withStringForm { bytes in
                caseInsensitive ? folded.matches(bytes) : Self.bytesEqual(bytes, utf8)
            }
        }
    }

    /// Orders `field` against the constant: numerically when both are numbers (or numeric
    /// strings), else by UTF-8 bytes when both are strings. `nil` when they cannot be ordered.
    func compare(_ field: FieldValue) -> Int? {
        let fieldNumber: Double? =
            switch field {
            case .string(let bytes): value.isString ? nil : Self.number(in: bytes)
            default: Self.number(of: field)
            }
        if let fieldNumber, let number {
            return fieldNumber < number ? -1 : (fieldNumber > number ? 1 : 0)
        }
        guard case .string(let bytes) = field, value.isString else {
            return nil
        }
        return Self.compareBytes(bytes, utf8)
    }

    static func number(of field: FieldValue) -> Double? {
        switch field {
        case .integer(let value): Double(value)
        case .unsignedInteger(let value): Double(value)
        case .double(let value): value
        case .string(let bytes): number(in: bytes)
        case .bool: nil
        }
    }

    /// Parses a numeric string; short strings stay in Swift's inline string storage, so this
    /// does not allocate for typical numbers.
    static func number(in bytes: UnsafeRawBufferPointer) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 32 else {
            return nil
        }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    static func bytesEqual(_ bytes: UnsafeRawBufferPointer, _ expected: [UInt8]) -> Bool {
        guard bytes.count == expected.count else {
            return false
        }
        return expected.withUnsafeBytes { expectedBytes in
            guard let left = bytes.baseAddress, let right = expectedBytes.baseAddress else {
                return true
            }
            return memcmp(left, right, bytes.count) == 0
        }
    }

    static func compareBytes(_ bytes: UnsafeRawBufferPointer, _ expected: [UInt8]) -> Int {
        let common = min(bytes.count, expected.count)
        for index in 0..<common where bytes[index] != expected[index] {
            return bytes[index] < expected[index] ? -1 : 1
        }
        return bytes.count < expected.count ? -1 : (bytes.count > expected.count ? 1 : 0)
    }
}

extension EQLValue {
    var isString: Bool {
        if case .string = self {
            return true
        }
        return false
    }
}
