extension ExceptionEntry.Kind {
    /// The `value` that an entry of this type takes, as a clause for error messages.
    var expectedValue: String {
        switch self {
        case .match: "a match entry needs one non-empty string as its value, such as \"netadmin\""
        case .wildcard: "a wildcard entry needs one non-empty string as its value, such as \"netsh interface portproxy *\""
        case .matchAny: "a match_any entry needs an array of non-empty strings as its value, such as [\"netadmin\", \"root\"]"
        case .exists: "an exists entry takes no value"
        case .list: "a list entry takes no value but names a value list in its list member"
        case .nested: "a nested entry takes no value but lists its conditions in its entries member"
        default: "the entry type \"\(rawValue.prefix(40))\" is unknown"
        }
    }

    /// The fix for a value of the wrong shape, as a sentence, or empty when the expected value
    /// is explanation enough.
    var valueFix: String {
        switch self {
        case .exists: " Remove the value member."
        case .list: " Value lists are not supported; use match_any with the values instead."
        case .nested: " Nested entries are not supported; write each condition as its own entry on the full field name."
        default: ""
        }
    }
}

extension ExceptionEntry {
    /// Decodes `value` in the JSON shape that `type` takes. Kibana's schema declares `match` and
    /// `wildcard` values as strings and `match_any` values as arrays of strings, and rejects a
    /// number such as `"value": 1234` instead of reading it as text.
    static func decodeValue(
        for type: Kind, from container: KeyedDecodingContainer<CodingKeys>
    ) throws -> Value? {
        guard container.contains(.value), !(try container.decodeNil(forKey: .value)) else {
            return nil
        }
        let shape = try JSONShape(try container.superDecoder(forKey: .value))
        switch (type, shape) {
        case (.match, .string(let text)), (.wildcard, .string(let text)):
            return .string(text)
        case (.matchAny, .array(let elements)):
            var values: [String] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element else {
                    throw mismatch(
                        "\(type.expectedValue); found \(element.description) at index \(index).",
                        at: container.codingPath + [CodingKeys.value, JSONCodingKey(index)])
                }
                values.append(text)
            }
            return .list(values)
        case (.match, _), (.wildcard, _), (.matchAny, _), (.exists, _), (.list, _), (.nested, _):
            var message = "\(type.expectedValue); found \(shape.description)."
            if type == .match || type == .wildcard, case .number(let text) = shape {
                message += " Write it as the string \"\(text)\"."
            }
            throw mismatch(message + type.valueFix, at: container.codingPath + [CodingKeys.value])
        default:
            // An unknown type fails validation at /type, which is the more useful message.
            switch shape {
            case .string(let text): return .string(text)
            default: return nil
            }
        }
    }

    private static func mismatch(_ message: String, at path: [any CodingKey]) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: message))
    }
}

/// A JSON value reduced to what an error message about its type needs.
enum JSONShape: CustomStringConvertible {
    case string(String)
    /// The number's decimal text.
    case number(String)
    case bool(Bool)
    case array([JSONShape])
    case object
    case null

    init(_ decoder: any Decoder) throws {
        if var elements = try? decoder.unkeyedContainer() {
            var shapes: [JSONShape] = []
            while !elements.isAtEnd {
                shapes.append(try JSONShape(try elements.superDecoder()))
            }
            self = .array(shapes)
            return
        }
        if (try? decoder.container(keyedBy: JSONCodingKey.self)) != nil {
            self = .object
            return
        }
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let text = try? value.decode(String.self) {
            self = .string(text)
        } else if let flag = try? value.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? value.decode(Int64.self) {
            self = .number(String(integer))
        } else {
            self = .number(String(try value.decode(Double.self)))
        }
    }

    var description: String {
        switch self {
        case .string: "a string"
        case .number(let text): "the number \(text)"
        case .bool(let flag): "the Boolean \(flag)"
        case .array: "an array"
        case .object: "an object"
        case .null: "null"
        }
    }
}

/// A coding key for an array index, or for any object key where only the object's shape matters.
struct JSONCodingKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ index: Int) {
        stringValue = String(index)
        intValue = index
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }

    init?(intValue: Int) {
        self.init(intValue)
    }
}
