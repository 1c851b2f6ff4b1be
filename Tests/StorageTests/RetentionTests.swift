import Foundation
import Testing

@testable import Storage

@Suite("Retention")
struct RetentionTests {
    static let day: Int64 = 86_400_000
    static let now: Int64 = 1_700_000_000_000

    @Test("deletes closed alerts before cutoff")
    func deletesClosedBeforeCutoff() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts([
            makeAlert(id: "old-closed", timestampMilliseconds: Self.now - 40 * Self.day, status: .closed),
            makeAlert(id: "old-open", timestampMilliseconds: Self.now - 40 * Self.day, status: .open),
            makeAlert(id: "old-acknowledged", timestampMilliseconds: Self.now - 40 * Self.day, status: .acknowledged),
            makeAlert(id: "new-closed", timestampMilliseconds: Self.now - 5 * Self.day, status: .closed),
        ])
        _ = try await database.updateAlertStatus(id: "old-open", to: .closed, actor: "a", reason: nil, at: Date())
        _ = try await database.updateAlertStatus(id: "old-open", to: .open, actor: "a", reason: nil, at: Date())
        _ = try await database.updateAlertStatus(id: "old-closed", to: .open, actor: "a", reason: nil, at: Date())
        _ = try await database.updateAlertStatus(id: "old-closed", to: .closed, actor: "a", reason: nil, at: Date())

        let cutoff = Date(timeIntervalSince1970: Double(Self.now - 30 * Self.day) / 1000)
        let run = try await database.deleteClosedAlerts(before: cutoff)

        #expect(run.deletedAlerts == 1)
        #expect(run.failure == nil)
        #expect(run.cutoffMilliseconds == Self.now - 30 * Self.day)
        #expect(database.lastRetentionRun == run)
        #expect(try await database.alert(id: "old-closed") == nil)
        #expect(try await database.alert(id: "old-open") != nil)
        #expect(try await database.alert(id: "old-acknowledged") != nil)
        #expect(try await database.alert(id: "new-closed") != nil)
        #expect(try queryInteger("SELECT count(*) FROM alert_status_changes WHERE alert_id = 'old-closed'", path: folder.databasePath) == 0)
        #expect(try queryInteger("SELECT count(*) FROM alert_status_changes WHERE alert_id = 'old-open'", path: folder.databasePath) == 2)
    }

    @Test("deletes in batches")
    func deletesInBatches() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let alerts = (0..<25).map { makeAlert(id: "closed-\($0)", timestampMilliseconds: Int64($0), status: .closed) }
        _ = try await database.insertAlerts(alerts)
        let transactionsBefore = database.writeStatistics.committedTransactions

        let run = try await database.deleteClosedAlerts(before: Date(timeIntervalSince1970: 1), batchSize: 10)

        #expect(run.deletedAlerts == 25)
        #expect(run.batches == 3)
        #expect(database.writeStatistics.committedTransactions == transactionsBefore + 3)
        #expect(try queryInteger("SELECT count(*) FROM alerts", path: folder.databasePath) == 0)
        #expect(database.lastRetentionRun?.batches == 3)
    }

    @Test("no run before the first call")
    func noRunBeforeFirstCall() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        #expect(database.lastRetentionRun == nil)
        #expect(database.fileSizes().databaseBytes > 0)
    }

    @Test("closed database records the failure")
    func closedDatabaseRecordsFailure() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        database.close()

        await #expect(throws: StorageError.closed(path: folder.databasePath)) {
            try await database.deleteClosedAlerts(before: Date())
        }
        #expect(database.lastRetentionRun?.failure == StorageError.closed(path: folder.databasePath).description)
    }
}
