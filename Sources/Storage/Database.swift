import Foundation
import Logging
import Synchronization

/// The detectd database: one writer thread that commits concurrent writes together, and a pool
/// of read-only connections for reads. Every async call runs its SQL off Swift's cooperative thread pool.
public final class Database: Sendable {
    public let path: String
    /// `PRAGMA user_version` after migrations.
    public let schemaVersion: Int32
    let writer: Writer
    let readers: ReaderPool
    private let logger: Logger
    private let isClosed = Mutex(false)
    let truncatedAlertInserts = Atomic<Int>(0)
    let retention = Mutex<RetentionRun?>(nil)

    /// Opens (creating when missing) the database file, sets up WAL mode and runs pending migrations.
    /// Throws `.schemaTooNew` without writing to the file when its schema is newer than this build.
    public init(configuration: DatabaseConfiguration, logger: Logger) throws(StorageError) {
        try configuration.validate()
        try Self.createParentDirectory(of: configuration.path)

        let connection = try Connection(path: configuration.path, access: .readWrite, logger: logger)
        let version: Int32
        let readers: ReaderPool
        do {
            try connection.setBusyTimeout(milliseconds: Int32(configuration.busyTimeoutMilliseconds))
            // Checked before any pragma that writes (journal_mode=WAL changes the file header).
            _ = try Schema.migrator.checkSupported(connection)
            try Self.configureWriter(connection, configuration)
            version = try Schema.migrator.migrate(connection, logger: logger)
            readers = try ReaderPool(
                path: configuration.path,
                count: configuration.readerCount,
                busyTimeoutMilliseconds: Int32(configuration.busyTimeoutMilliseconds),
                logger: logger)
        } catch {
            connection.close()
            throw error
        }

        self.path = configuration.path
        self.schemaVersion = version
        self.readers = readers
        self.writer = Writer(connection: connection, logger: logger)
        self.logger = logger
        logger.info(
            "database opened",
            [
                "path": path,
                "schema_version": String(version),
                "synchronous": configuration.synchronous.rawValue,
                "readers": String(configuration.readerCount),
            ])
    }

    deinit {
        close()
    }

    /// Writer counters since open.
    public var writeStatistics: WriteStatistics {
        var statistics = writer.statistics
        statistics.truncatedAlertInserts = truncatedAlertInserts.load(ordering: .relaxed)
        return statistics
    }

    /// Writes a row through the writer and waits for its commit, proving the file is writable
    /// (for a readiness check).
    public func checkWritable() async throws(StorageError) {
        let now = Self.milliseconds(since1970: Date())
        try await writer.write { connection throws(StorageError) in
            let sql = """
                INSERT INTO write_probe (id, checked_at_ms) VALUES (1, ?) \
                ON CONFLICT (id) DO UPDATE SET checked_at_ms = excluded.checked_at_ms
                """
            try connection.withStatement(sql) { statement throws(StorageError) in
                try statement.bind(now, at: 1)
                try statement.run()
            }
        }
    }

    /// Rejects new calls, waits for running reads, commits queued writes, checkpoints the
    /// write-ahead log into the file and closes every connection. Later calls throw `.closed`.
    /// Blocks the calling thread until all of that is done, so call it at shutdown, not per request.
    public func close() {
        let isFirstCall = isClosed.withLock { isClosed in
            defer { isClosed = true }
            return !isClosed
        }
        guard isFirstCall else {
            return
        }
        readers.close()
        writer.stop()
        logger.info("database closed", ["path": path, "schema_version": String(schemaVersion)])
    }

    static func milliseconds(since1970 date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    private static func createParentDirectory(of path: String) throws(StorageError) {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .directoryCreationFailed(path: folder, reason: error.localizedDescription)
        }
    }

    /// Sets the writer's pragmas: https://sqlite.org/pragma.html. PRAGMA takes no bound
    /// parameters; each value below is an enum case or an integer, never text from a request.
    private static func configureWriter(_ connection: Connection, _ configuration: DatabaseConfiguration) throws(StorageError) {
        let journalMode = try connection.text("PRAGMA journal_mode = WAL")
        guard journalMode?.lowercased() == "wal" else {
            throw .invalidConfiguration(
                field: "path", value: configuration.path,
                reason: "SQLite kept journal_mode \(journalMode ?? "unknown") instead of wal; use a local file system")
        }
        try connection.execute(script: "PRAGMA synchronous = \(configuration.synchronous.rawValue)")
        try connection.execute(script: "PRAGMA foreign_keys = ON")
        try connection.execute(script: "PRAGMA journal_size_limit = \(configuration.journalSizeLimitBytes)")
    }
}
