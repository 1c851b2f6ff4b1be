/// Filters and paging for the alert list.
public struct AlertQuery: Sendable, Equatable {
    /// Page sizes `Database.alerts(_:)` accepts.
    public static let limitRange = 1...10_000

    public var filter: AlertFilter
    public var limit: Int
    /// `AlertPage.nextCursor` of the previous page, or nil for the first page.
    public var cursor: String?
    /// Oldest first when true; newest first (the default) when false.
    public var ascending: Bool
    /// Count every alert that matches `filter` into `AlertPage.total`. It costs a scan of the
    /// matching index entries, so it is off unless requested.
    public var includeTotal: Bool

    public init(
        filter: AlertFilter,
        limit: Int,
        cursor: String? = nil,
        ascending: Bool = false,
        includeTotal: Bool = false
    ) {
        self.filter = filter
        self.limit = limit
        self.cursor = cursor
        self.ascending = ascending
        self.includeTotal = includeTotal
    }

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
        let filter = AlertFilter(
            statuses: statuses, hostName: hostName, userName: userName,
            sinceMilliseconds: sinceMilliseconds, untilMilliseconds: untilMilliseconds)
        self.init(filter: filter, limit: limit, cursor: cursor, ascending: ascending)
    }

    /// The cursor that continues a list after `record`, for a caller that stops part-way through
    /// a page (an export that reached its size limit, say).
    public static func cursor(after record: AlertRecord, ascending: Bool) -> String {
        AlertCursor(timestampMilliseconds: record.timestampMilliseconds, id: record.id, ascending: ascending).encoded
    }
}

/// One page of the alert list.
public struct AlertPage: Sendable, Equatable {
    public var records: [AlertRecord]
    /// Cursor for the next page, or nil when this page is the last one.
    public var nextCursor: String?
    /// The number of alerts that match the filter on all pages, when the query asked for it.
    public var total: Int?

    public init(records: [AlertRecord], nextCursor: String?, total: Int? = nil) {
        self.records = records
        self.nextCursor = nextCursor
        self.total = total
    }
}
