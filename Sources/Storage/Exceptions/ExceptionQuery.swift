/// Paging for the exception item list, which is ordered by creation time, then id.
public struct ExceptionQuery: Sendable, Equatable {
    /// Page sizes `Database.exceptionPage(_:)` accepts.
    public static let limitRange = 1...1000

    public var limit: Int
    /// `ExceptionPage.nextCursor` of the previous page, or nil for the first page.
    public var cursor: String?

    public init(limit: Int, cursor: String? = nil) {
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of the exception item list.
public struct ExceptionPage: Sendable, Equatable {
    public var records: [ExceptionRecord]
    /// Cursor for the next page, or nil when this page is the last one.
    public var nextCursor: String?
    /// The number of items on all pages, counted in the same read transaction as the page.
    public var total: Int

    public init(records: [ExceptionRecord], nextCursor: String?, total: Int) {
        self.records = records
        self.nextCursor = nextCursor
        self.total = total
    }
}
