/// A Kibana exception item: entries that must all hold for the item to suppress an alert.
///
/// Decoding accepts the shape of Kibana's export and API (snake_case keys) and ignores keys it
/// does not know, such as `id`, `created_at` or `_version`. Decoding checks only JSON types;
/// `validate()` checks the values.
public struct ExceptionItem: Codable, Sendable, Equatable {
    public var itemID: String?
    public var name: String
    public var description: String
    /// `simple`, the only item type Kibana defines for rule exceptions.
    public var type: String
    /// `single` (the list belongs to one space) or `agnostic`.
    public var namespaceType: String
    public var entries: [ExceptionEntry]
    /// Operating systems the item applies to (`windows`, `linux`, `macos`), matched against
    /// `host.os.type`; empty means every system.
    public var osTypes: [String]
    public var tags: [String]
    public var comments: [ExceptionComment]
    /// ISO 8601 time after which the item no longer suppresses anything.
    public var expireTime: String?
    public var listID: String?

    public init(
        itemID: String? = nil,
        name: String,
        description: String = "",
        type: String = "simple",
        namespaceType: String = "single",
        entries: [ExceptionEntry],
        osTypes: [String] = [],
        tags: [String] = [],
        comments: [ExceptionComment] = [],
        expireTime: String? = nil,
        listID: String? = nil
    ) {
        self.itemID = itemID
        self.name = name
        self.description = description
        self.type = type
        self.namespaceType = namespaceType
        self.entries = entries
        self.osTypes = osTypes
        self.tags = tags
        self.comments = comments
        self.expireTime = expireTime
        self.listID = listID
    }

    /// The JSON keys that decoding reads; an interchange import reports any other key as dropped.
    public static let understoodKeys = Set(CodingKeys.allCases.map(\.rawValue))

    enum CodingKeys: String, CodingKey, CaseIterable {
        case itemID = "item_id"
        case name
        case description
        case type
        case namespaceType = "namespace_type"
        case entries
        case osTypes = "os_types"
        case tags
        case comments
        case expireTime = "expire_time"
        case listID = "list_id"
    }

    /// Decodes an item. Keys that Kibana treats as optional get Kibana's defaults, and a missing
    /// `type` is `simple`, the only type there is. A missing `name` decodes as empty, so that
    /// `validate()` reports it with its pointer.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        itemID = try container.decodeIfPresent(String.self, forKey: .itemID)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "simple"
        namespaceType = try container.decodeIfPresent(String.self, forKey: .namespaceType) ?? "single"
        entries = try container.decodeIfPresent([ExceptionEntry].self, forKey: .entries) ?? []
        osTypes = try container.decodeIfPresent([String].self, forKey: .osTypes) ?? []
        tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
        comments = try container.decodeIfPresent([ExceptionComment].self, forKey: .comments) ?? []
        expireTime = try container.decodeIfPresent(String.self, forKey: .expireTime)
        listID = try container.decodeIfPresent(String.self, forKey: .listID)
    }
}

/// A comment on an exception item, as Kibana stores it.
public struct ExceptionComment: Codable, Sendable, Equatable {
    public var comment: String
    public var id: String?
    public var createdAt: String?
    public var createdBy: String?

    public init(comment: String, id: String? = nil, createdAt: String? = nil, createdBy: String? = nil) {
        self.comment = comment
        self.id = id
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// The JSON keys that decoding reads.
    public static let understoodKeys = Set(CodingKeys.allCases.map(\.rawValue))

    enum CodingKeys: String, CodingKey, CaseIterable {
        case comment
        case id
        case createdAt = "created_at"
        case createdBy = "created_by"
    }
}
