/// One condition of an exception item: a field, an entry type, an operator and a value.
public struct ExceptionEntry: Codable, Sendable, Equatable {
    /// The entry types Kibana defines; `nested` and `list` decode but fail validation.
    public struct Kind: RawRepresentable, Codable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let match = Kind(rawValue: "match")
        public static let matchAny = Kind(rawValue: "match_any")
        public static let wildcard = Kind(rawValue: "wildcard")
        public static let exists = Kind(rawValue: "exists")
        public static let nested = Kind(rawValue: "nested")
        public static let list = Kind(rawValue: "list")

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    /// `included` keeps the condition as is; `excluded` negates it.
    public struct Operator: RawRepresentable, Codable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let included = Operator(rawValue: "included")
        public static let excluded = Operator(rawValue: "excluded")

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    /// A `match` or `wildcard` value is one string; a `match_any` value is a list.
    public enum Value: Codable, Sendable, Equatable {
        case string(String)
        case list([String])

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .string(text)
            } else {
                self = .list(try container.decode([String].self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let text): try container.encode(text)
            case .list(let values): try container.encode(values)
            }
        }
    }

    public var field: String
    public var type: Kind
    /// Missing in `nested` entries, which Kibana writes without one.
    public var `operator`: Operator?
    /// Absent for `exists` entries.
    public var value: Value?
    /// Kibana matches case-sensitively unless this is `true`.
    public var caseInsensitive: Bool?

    public init(field: String, type: Kind, operator: Operator?, value: Value? = nil, caseInsensitive: Bool? = nil) {
        self.field = field
        self.type = type
        self.operator = `operator`
        self.value = value
        self.caseInsensitive = caseInsensitive
    }

    /// The JSON keys that decoding reads.
    public static let understoodKeys = Set(CodingKeys.allCases.map(\.rawValue))

    enum CodingKeys: String, CodingKey, CaseIterable {
        case field
        case type
        case `operator`
        case value
        case caseInsensitive = "case_insensitive"
    }

    /// Decodes an entry; a missing `field` decodes as empty so that `validate()` reports it.
    /// A `value` of the wrong JSON type for the entry's `type` raises `DecodingError.dataCorrupted`
    /// at the value, with a message that names what that type expects.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decodeIfPresent(String.self, forKey: .field) ?? ""
        type = try container.decodeIfPresent(Kind.self, forKey: .type) ?? Kind(rawValue: "")
        `operator` = try container.decodeIfPresent(Operator.self, forKey: .operator)
        value = try Self.decodeValue(for: type, from: container)
        caseInsensitive = try container.decodeIfPresent(Bool.self, forKey: .caseInsensitive)
    }
}

extension ExceptionEntry {
    /// The suffix of the keyword sub-field that Elastic Defend's index templates (the
    /// `elastic/endpoint-package` schemas) add to fields such as `process.executable`, with
    /// Elasticsearch's `lowercase` normalizer.
    static let caselessSuffix = ".caseless"

    /// The event field the entry reads, and whether values are lowercased before comparing.
    ///
    /// detectd has no index mapping, so `process.executable.caseless` is read as
    /// `process.executable` with both sides lowercased the way the `lowercase` normalizer does.
    /// Every other field is read as written.
    var readField: (path: FieldPath, lowercased: Bool) {
        if field.hasSuffix(Self.caselessSuffix), field.count > Self.caselessSuffix.count {
            return (FieldPath(String(field.dropLast(Self.caselessSuffix.count))), true)
        }
        return (FieldPath(field), false)
    }
}
