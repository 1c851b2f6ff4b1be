import Foundation
import Testing

@testable import Storage

@Suite("Alert status")
struct AlertStatusTests {
    @Test("update records the change")
    func updateRecordsChange() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts([makeAlert(id: "s1")])
        let acknowledgedAt = Date(timeIntervalSince1970: 1_700_000_100.25)
        let closedAt = Date(timeIntervalSince1970: 1_700_000_200)

        let acknowledged = try await database.updateAlertStatus(id: "s1", to: .acknowledged, actor: "analyst", reason: "triage", at: acknowledgedAt)
        let closed = try await database.updateAlertStatus(id: "s1", to: .closed, actor: "lead", reason: nil, at: closedAt)

        #expect(acknowledged?.status == .acknowledged)
        #expect(acknowledged?.updatedAtMilliseconds == 1_700_000_100_250)
        #expect(closed?.status == .closed)
        #expect(try await database.alert(id: "s1") == closed)
        #expect(
            try await database.statusChanges(alertID: "s1") == [
                AlertStatusChange(alertID: "s1", from: .open, to: .acknowledged, actor: "analyst", reason: "triage", atMilliseconds: 1_700_000_100_250),
                AlertStatusChange(alertID: "s1", from: .acknowledged, to: .closed, actor: "lead", reason: nil, atMilliseconds: 1_700_000_200_000),
            ])
    }

    @Test("unknown alert returns nil")
    func unknownAlertReturnsNil() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        #expect(try await database.updateAlertStatus(id: "missing", to: .closed, actor: "analyst", reason: nil, at: Date()) == nil)
        #expect(try await database.statusChanges(alertID: "missing") == [])
    }

    @Test("same status records nothing")
    func sameStatusRecordsNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts([makeAlert(id: "s2")])

        let unchanged = try await database.updateAlertStatus(id: "s2", to: .open, actor: "analyst", reason: nil, at: Date())

        #expect(unchanged == makeAlert(id: "s2"))
        #expect(try await database.statusChanges(alertID: "s2") == [])
    }
}
