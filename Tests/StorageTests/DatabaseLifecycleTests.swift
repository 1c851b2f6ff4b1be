import Foundation
import Logging
import Testing

@testable import Storage

@Suite("Database lifecycle")
struct DatabaseLifecycleTests {
    @Test("checkWritable writes the probe row")
    func checkWritableWrites() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        try await database.checkWritable()
        try await database.checkWritable()

        #expect(try queryInteger("SELECT count(*) FROM write_probe", path: folder.databasePath) == 1)
        #expect(database.writeStatistics.committedTransactions == 2)
    }

    @Test("close checkpoints and removes WAL")
    func closeCheckpoints() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        _ = try await database.insertAlerts([makeAlert(id: "c1")])
        _ = try await database.alerts(AlertQuery(limit: 10))

        database.close()

        let walPath = folder.databasePath + "-wal"
        let walSize = (try? FileManager.default.attributesOfItem(atPath: walPath)[.size] as? Int) ?? 0
        #expect(walSize == 0)
    }

    @Test("calls after close fail")
    func callsAfterCloseFail() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        database.close()
        database.close()

        await #expect(throws: StorageError.closed(path: folder.databasePath)) {
            try await database.insertAlerts([makeAlert(id: "late")])
        }
        await #expect(throws: StorageError.closed(path: folder.databasePath)) {
            try await database.alert(id: "late")
        }
        await #expect(throws: StorageError.closed(path: folder.databasePath)) {
            try await database.checkWritable()
        }
    }

    @Test("close then reopen")
    func closeThenReopen() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        for round in 0..<3 {
            let database = try openDatabase(at: folder.databasePath)
            let outcomes = try await database.insertAlerts([makeAlert(id: "round-\(round)")])
            #expect(outcomes == [.inserted])
            #expect(try await database.alerts(AlertQuery(limit: 10)).records.count == round + 1)
            database.close()
        }
    }

    @Test("queued writes finish before close")
    func queuedWritesFinishBeforeClose() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        let writes = (0..<16).map { index in
            Task { try await database.insertAlerts([makeAlert(id: "pending-\(index)")]) }
        }
        try await Task.sleep(for: .milliseconds(20))

        database.close()

        var stored = 0
        for write in writes {
            switch await write.result {
            case .success(let outcomes): stored += outcomes.count
            case .failure(let error): #expect(error as? StorageError == .closed(path: folder.databasePath))
            }
        }
        #expect(try queryInteger("SELECT count(*) FROM alerts", path: folder.databasePath) == Int64(stored))
    }

    @Test("open and close are logged")
    func openAndCloseLogged() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let sink = LogSink()
        let database = try openDatabase(at: folder.databasePath, logger: makeLogger(sink: sink))
        database.close()

        let lines = sink.lines
        let opened = try #require(lines.first { $0.contains("database opened") })
        let closed = try #require(lines.first { $0.contains("database closed") })
        #expect(opened.contains("schema_version=\(Schema.migrator.latestVersion)"))
        #expect(opened.contains(folder.databasePath))
        #expect(lines.contains { $0.contains("schema migration applied") })
        #expect(closed.contains("schema_version=\(Schema.migrator.latestVersion)"))
        #expect(closed.contains(folder.databasePath))
    }

    @Test("reads run while writer waits")
    func readsRunWhileWriterWaits() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts([makeAlert(id: "visible")])

        let blocker = try Connection(path: folder.databasePath, access: .readWrite, logger: makeLogger())
        defer { blocker.close() }
        try blocker.run("BEGIN IMMEDIATE")
        let blockedWrite = Task { try await database.insertAlerts([makeAlert(id: "later")]) }

        let started = ContinuousClock.now
        let page = try await database.alerts(AlertQuery(limit: 10))
        let elapsed = ContinuousClock.now - started

        #expect(page.records.map(\.id) == ["visible"])
        #expect(elapsed < .seconds(2))
        try blocker.run("COMMIT")
        #expect(try await blockedWrite.value == [.inserted])
    }
}
