import Foundation
import Testing

@testable import Storage

@Suite("Write-ahead log")
struct WriteAheadLogTests {
    @Test("log stays bounded while reading")
    func logStaysBoundedWhileReading() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let configuration = DatabaseConfiguration(path: folder.databasePath, journalSizeLimitBytes: 256 * 1024)
        let database = try Database(configuration: configuration, logger: makeLogger())
        defer { database.close() }
        let padding = String(repeating: "x", count: 2_000)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for batch in 0..<200 {
                    let alerts = (0..<25).map { index in
                        var alert = makeAlert(id: "alert-\(batch)-\(index)", timestampMilliseconds: Int64(batch * 100 + index))
                        alert.document = #"{"padding":"\#(padding)"}"#
                        return alert
                    }
                    _ = try await database.insertAlerts(alerts)
                }
            }
            group.addTask {
                for _ in 0..<400 {
                    _ = try await database.alerts(AlertQuery(limit: 50))
                }
            }
            try await group.waitForAll()
        }

        let sizes = database.fileSizes()
        // About 12 MB were written; SQLite's automatic checkpoint every 1000 pages (4 MiB with
        // 4 KiB pages) restarts the log, and journal_size_limit truncates it again.
        #expect(sizes.databaseBytes > 10_000_000)
        #expect(sizes.walBytes < 6 * 1024 * 1024)
    }

    @Test("reads leave no snapshot open")
    func readsLeaveNoSnapshotOpen() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts((0..<20).map { makeAlert(id: "alert-\($0)") })
        _ = try await database.alerts(AlertQuery(limit: 5))
        _ = try await database.relatedAlerts(to: "alert-1", window: 3600, limit: 5)
        _ = try await database.alerts(AlertQuery(filter: AlertFilter(), limit: 5, includeTotal: true))

        // A TRUNCATE checkpoint fails with SQLITE_BUSY while any reader keeps a snapshot open.
        let connection = try Connection(path: folder.databasePath, access: .readWrite, logger: makeLogger())
        defer { connection.close() }
        // A connection checkpoints only once it has opened the log, which its first read does.
        #expect(try connection.integer("SELECT count(*) FROM alerts") == 20)
        try connection.checkpointTruncate()
        #expect(database.fileSizes().walBytes == 0)
    }
}
