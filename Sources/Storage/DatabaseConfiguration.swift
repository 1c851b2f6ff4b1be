/// The database file's location and the settings of its connections.
public struct DatabaseConfiguration: Sendable {
    /// `PRAGMA synchronous` for the writer: https://sqlite.org/pragma.html#pragma_synchronous
    public enum Synchronous: String, Sendable, CaseIterable {
        /// Syncs the write-ahead log on every commit, so a committed alert survives power loss.
        case full = "FULL"
        /// Syncs only at checkpoints. Still consistent after a crash in WAL mode, but the last
        /// commits before a power loss may be lost.
        case normal = "NORMAL"
    }

    /// Path of the SQLite file. Its folder is created when missing.
    public var path: String
    public var synchronous: Synchronous
    /// Number of read-only connections serving reads, each on its own queue.
    public var readerCount: Int
    /// How long a connection waits for a lock held by another one before failing with SQLITE_BUSY.
    public var busyTimeoutMilliseconds: Int
    /// Size in bytes the write-ahead log is truncated to after a checkpoint (`PRAGMA journal_size_limit`).
    public var journalSizeLimitBytes: Int64

    public init(
        path: String,
        synchronous: Synchronous = .full,
        readerCount: Int = 2,
        busyTimeoutMilliseconds: Int = 5000,
        journalSizeLimitBytes: Int64 = 64 * 1024 * 1024
    ) {
        self.path = path
        self.synchronous = synchronous
        self.readerCount = readerCount
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.journalSizeLimitBytes = journalSizeLimitBytes
    }

    func validate() throws(StorageError) {
        if path.isEmpty || path == ":memory:" || path.hasPrefix("file:") {
            throw .invalidConfiguration(
                field: "path", value: path,
                reason: "expected a file path, because readers open their own connections to the same file")
        }
        if readerCount < 1 {
            throw .invalidConfiguration(field: "readerCount", value: String(readerCount), reason: "expected at least 1")
        }
        if busyTimeoutMilliseconds < 0 || busyTimeoutMilliseconds > Int(Int32.max) {
            throw .invalidConfiguration(
                field: "busyTimeoutMilliseconds", value: String(busyTimeoutMilliseconds),
                reason: "expected 0 to \(Int32.max) milliseconds")
        }
        if journalSizeLimitBytes < 0 {
            throw .invalidConfiguration(
                field: "journalSizeLimitBytes", value: String(journalSizeLimitBytes), reason: "expected 0 or more bytes")
        }
    }
}
