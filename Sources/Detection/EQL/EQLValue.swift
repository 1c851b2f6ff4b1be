/// A value computed while evaluating an EQL expression: a literal, a copied field value or a
/// function result. `null` stands for a missing field or an undefined result.
enum EQLValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)

    var isNull: Bool { self == .null }

    /// The value as a number, converting numeric strings the way Elasticsearch converts a
    /// string query term for a numeric field.
    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        case .string(let text): Double(text.trimmingWhitespace())
        case .bool, .null: nil
        }
    }

    /// The text form used by `string()`, `concat()` and comparisons with strings.
    var text: String? {
        switch self {
        case .null: nil
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .double(let value): value.description
        case .string(let text): text
        }
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else {
            return ""
        }
        return Substring(scalars[first...last])
    }
}
