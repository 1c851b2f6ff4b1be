/// What one pass of the retention policy did.
public struct RetentionRun: Sendable, Equatable {
    /// Milliseconds since 1970-01-01 UTC.
    public var startedAtMilliseconds: Int64
    public var finishedAtMilliseconds: Int64
    /// Closed alerts whose time was before this were deleted, in milliseconds since 1970-01-01 UTC.
    public var cutoffMilliseconds: Int64
    public var deletedAlerts: Int
    /// Write transactions the pass used.
    public var batches: Int
    /// Why the pass stopped early, or nil when it finished.
    public var failure: String?

    public init(
        startedAtMilliseconds: Int64, finishedAtMilliseconds: Int64, cutoffMilliseconds: Int64,
        deletedAlerts: Int, batches: Int, failure: String?
    ) {
        self.startedAtMilliseconds = startedAtMilliseconds
        self.finishedAtMilliseconds = finishedAtMilliseconds
        self.cutoffMilliseconds = cutoffMilliseconds
        self.deletedAlerts = deletedAlerts
        self.batches = batches
        self.failure = failure
    }
}

/// The sizes of the database's files in bytes.
public struct DatabaseFileSizes: Sendable, Equatable {
    /// The main database file.
    public var databaseBytes: Int64
    /// The write-ahead log (`-wal`), 0 when it does not exist.
    public var walBytes: Int64

    public init(databaseBytes: Int64, walBytes: Int64) {
        self.databaseBytes = databaseBytes
        self.walBytes = walBytes
    }
}
