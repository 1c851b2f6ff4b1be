/// One row of `audit_log`: a change to a stored object, with who made it, when, and the object
/// before and after.
public struct AuditEntry: Sendable, Equatable {
    /// What happened to the object.
    public enum Action: String, Sendable, CaseIterable {
        case create, replace, delete
    }

    /// Increases with every entry; the list is ordered by it.
    public var id: Int64
    /// Milliseconds since 1970-01-01 UTC.
    public var atMilliseconds: Int64
    public var actor: String
    public var action: Action
    /// The kind of object, such as `exception`.
    public var objectType: String
    public var objectID: String
    /// The object's stored JSON before the change; nil for `create`.
    public var before: String?
    /// The object's stored JSON after the change; nil for `delete`.
    public var after: String?

    public init(
        id: Int64, atMilliseconds: Int64, actor: String, action: Action, objectType: String,
        objectID: String, before: String?, after: String?
    ) {
        self.id = id
        self.atMilliseconds = atMilliseconds
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.before = before
        self.after = after
    }
}

/// Who makes a change and when, passed with every write that is audited.
public struct AuditContext: Sendable, Equatable {
    public var actor: String
    /// Milliseconds since 1970-01-01 UTC.
    public var atMilliseconds: Int64

    public init(actor: String, atMilliseconds: Int64) {
        self.actor = actor
        self.atMilliseconds = atMilliseconds
    }
}

/// Paging and filters for the audit log, which is listed newest first.
public struct AuditQuery: Sendable, Equatable {
    /// Page sizes `Database.auditEntries(_:)` accepts.
    public static let limitRange = 1...1000

    public var limit: Int
    /// `AuditPage.nextCursor` of the previous page, or nil for the first page.
    public var cursor: String?
    /// Only entries about this object.
    public var objectID: String?
    public var action: AuditEntry.Action?

    public init(limit: Int, cursor: String? = nil, objectID: String? = nil, action: AuditEntry.Action? = nil) {
        self.limit = limit
        self.cursor = cursor
        self.objectID = objectID
        self.action = action
    }
}

public struct AuditPage: Sendable, Equatable {
    public var entries: [AuditEntry]
    /// Cursor for the next page, or nil when this page is the last one.
    public var nextCursor: String?

    public init(entries: [AuditEntry], nextCursor: String?) {
        self.entries = entries
        self.nextCursor = nextCursor
    }
}
