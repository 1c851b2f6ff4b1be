import Foundation
import Testing

@testable import Storage

@Suite("Alert inserts with maxNew")
struct AlertMaxNewTests {
    @Test("stops after maxNew new rows")
    func stopsAfterMaxNew() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts([makeAlert(id: "b")])
        let transactionsBefore = database.writeStatistics.committedTransactions

        let alerts = ["a", "b", "c", "d", "e"].map { makeAlert(id: $0) }
        let outcomes = try await database.insertAlerts(alerts, maxNew: 3)

        #expect(outcomes == [.inserted, .duplicate, .inserted, .inserted])
        #expect(database.writeStatistics.committedTransactions == transactionsBefore + 1)
        #expect(database.writeStatistics.truncatedAlertInserts == 1)
        #expect(try await database.alert(id: "e") == nil)
    }

    @Test("second call stores the rest")
    func secondCallStoresRest() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let alerts = (0..<7).map { makeAlert(id: "alert-\($0)") }

        let first = try await database.insertAlerts(alerts, maxNew: 4)
        let second = try await database.insertAlerts(alerts, maxNew: 4)

        #expect(first == Array(repeating: .inserted, count: 4))
        #expect(second == Array(repeating: .duplicate, count: 4) + Array(repeating: .inserted, count: 3))
        #expect(try queryInteger("SELECT count(*) FROM alerts", path: folder.databasePath) == 7)
        #expect(database.writeStatistics.truncatedAlertInserts == 1)
    }

    @Test("duplicates only are not truncated")
    func duplicatesOnlyNotTruncated() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let alerts = (0..<3).map { makeAlert(id: "alert-\($0)") }
        _ = try await database.insertAlerts(alerts)

        let outcomes = try await database.insertAlerts(alerts, maxNew: 1)

        #expect(outcomes == Array(repeating: .duplicate, count: 3))
        #expect(database.writeStatistics.truncatedAlertInserts == 0)
    }
}
