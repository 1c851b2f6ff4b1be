/// Filters and paging for the alert list. Filters combine with AND; `statuses` matches any of its
/// values, and an empty list matches every status.
public struct AlertQuery: Sendable, Equatable {
    /// Page sizes `Database.alerts(_:)` accepts.
    public static let limitRange = 1...10_000

    public var statuses: [AlertStatus]
    /// Exact, case-sensitive match on `host.name`.
    public var hostName: String?
    /// Exact, case-sensitive match on `user.name`.
    public var userName: String?
    /// Inclusive lower bound on the alert time, in milliseconds since 1970-01-01 UTC.
    public var sinceMilliseconds: Int64?
    /// Inclusive upper bound on the alert time, in milliseconds since 1970-01-01 UTC.
    public var untilMilliseconds: Int64?
    public var limit: Int
    /// `AlertPage.nextCursor` of the previous page, or nil for the first page.
    public var cursor: String?
    /// Oldest first when true; newest first (the default) when false.
    public var ascending: Bool

    public init(
        statuses: [AlertStatus] = [],
        hostName: String? = nil,
        userName: String? = nil,
        sinceMilliseconds: Int64? = nil,
        untilMilliseconds: Int64? = nil,
        limit: Int,
        cursor: String? = nil,
        ascending: Bool = false
    ) {
        self.statuses = statuses
        self.hostName = hostName
        self.userName = userName
        self.sinceMilliseconds = sinceMilliseconds
        self.untilMilliseconds = untilMilliseconds
        self.limit = limit
        self.cursor = cursor
        self.ascending = ascending
    }
}

/// One page of the alert list.
public struct AlertPage: Sendable, Equatable {
    public var records: [AlertRecord]
    /// Cursor for the next page, or nil when this page is the last one.
    public var nextCursor: String?

    public init(records: [AlertRecord], nextCursor: String?) {
        self.records = records
        self.nextCursor = nextCursor
    }
}
