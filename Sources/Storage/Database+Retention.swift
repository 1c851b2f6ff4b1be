import Foundation

extension Database {
    /// Deletes closed alerts whose time is before `cutoff`, with their status changes, in
    /// transactions of at most `batchSize` alerts, so that other writes wait at most one batch.
    /// Records the run as `lastRetentionRun`, also when a batch fails, and then rethrows.
    @discardableResult
    public func deleteClosedAlerts(before cutoff: Date, batchSize: Int = 500) async throws(StorageError) -> RetentionRun {
        guard batchSize >= 1 else {
            throw .invalidConfiguration(field: "batchSize", value: String(batchSize), reason: "expected at least 1")
        }
        let cutoffMilliseconds = Self.milliseconds(since1970: cutoff)
        var run = RetentionRun(
            startedAtMilliseconds: Self.milliseconds(since1970: Date()), finishedAtMilliseconds: 0,
            cutoffMilliseconds: cutoffMilliseconds, deletedAlerts: 0, batches: 0, failure: nil)
        let sql = """
            DELETE FROM alerts WHERE id IN \
            (SELECT id FROM alerts WHERE status = 'closed' AND timestamp_ms < ? LIMIT ?)
            """
        do {
            while true {
                let deleted = try await writer.write { connection throws(StorageError) in
                    try connection.withStatement(sql) { statement throws(StorageError) in
                        try statement.bind(cutoffMilliseconds, at: 1)
                        try statement.bind(Int64(batchSize), at: 2)
                        try statement.run()
                    }
                    return connection.changes
                }
                run.batches += 1
                run.deletedAlerts += deleted
                if deleted < batchSize {
                    break
                }
            }
        } catch {
            run.failure = error.description
            run.finishedAtMilliseconds = Self.milliseconds(since1970: Date())
            retention.withLock { $0 = run }
            throw error
        }
        run.finishedAtMilliseconds = Self.milliseconds(since1970: Date())
        retention.withLock { $0 = run }
        return run
    }

    /// The last call of `deleteClosedAlerts` since the database was opened, or nil.
    public var lastRetentionRun: RetentionRun? {
        retention.withLock { $0 }
    }

    /// The current sizes of the database file and its write-ahead log.
    public func fileSizes() -> DatabaseFileSizes {
        DatabaseFileSizes(databaseBytes: Self.fileSize(path), walBytes: Self.fileSize(path + "-wal"))
    }

    private static func fileSize(_ path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
