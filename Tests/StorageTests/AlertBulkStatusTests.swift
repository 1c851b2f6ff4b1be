import Foundation
import Testing

@testable import Storage

@Suite("Alert bulk status changes")
struct AlertBulkStatusTests {
    static let changedAt = Date(timeIntervalSince1970: 1_700_000_500)

    @Test("ids update, skip and report missing")
    func idsUpdateSkipAndReport() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts([makeAlert(id: "a"), makeAlert(id: "b", status: .closed), makeAlert(id: "c")])

        let result = try await database.updateAlertStatuses(
            ids: ["a", "b", "missing", "c", "a"], to: .closed, actor: "lead", reason: "false positive", at: Self.changedAt)

        #expect(result.updated == ["a", "c"])
        #expect(result.unchanged == 1)
        #expect(result.notFound == ["missing"])
        #expect(try await database.alert(id: "c")?.status == .closed)
        #expect(
            try await database.statusChanges(alertID: "a") == [
                AlertStatusChange(alertID: "a", from: .open, to: .closed, actor: "lead", reason: "false positive", atMilliseconds: 1_700_000_500_000)
            ])
        #expect(try await database.statusChanges(alertID: "b") == [])
    }

    @Test("filter changes matching alerts only")
    func filterChangesMatchingOnly() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts([
            makeAlert(id: "h1-open", status: .open, hostName: "host-1"),
            makeAlert(id: "h1-ack", status: .acknowledged, hostName: "host-1"),
            makeAlert(id: "h1-closed", status: .closed, hostName: "host-1"),
            makeAlert(id: "h2-open", status: .open, hostName: "host-2"),
        ])

        let filter = AlertFilter(hostName: "host-1")
        let result = try await database.updateAlertStatuses(matching: filter, to: .closed, actor: "lead", reason: nil, at: Self.changedAt)

        #expect(result.updated == 2)
        #expect(result.unchanged == 1)
        #expect(try await database.alert(id: "h1-open")?.status == .closed)
        #expect(try await database.alert(id: "h1-ack")?.status == .closed)
        #expect(try await database.alert(id: "h2-open")?.status == .open)
        #expect(try await database.alert(id: "h1-open")?.updatedAtMilliseconds == 1_700_000_500_000)
        #expect(
            try await database.statusChanges(alertID: "h1-ack") == [
                AlertStatusChange(alertID: "h1-ack", from: .acknowledged, to: .closed, actor: "lead", reason: nil, atMilliseconds: 1_700_000_500_000)
            ])
        #expect(try await database.statusChanges(alertID: "h1-closed") == [])
    }

    @Test("closing uses the matcher")
    func closingUsesMatcher() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        var lab = makeAlert(id: "lab")
        lab.event = #"{"host":{"name":"lab-1"}}"#
        var labAcknowledged = makeAlert(id: "lab-ack", status: .acknowledged)
        labAcknowledged.event = #"{"host":{"name":"lab-2"}}"#
        var labClosed = makeAlert(id: "lab-closed", status: .closed)
        labClosed.event = #"{"host":{"name":"lab-3"}}"#
        var otherRule = makeAlert(id: "other-rule")
        otherRule.ruleID = "another-rule"
        otherRule.event = #"{"host":{"name":"lab-4"}}"#
        var office = makeAlert(id: "office")
        office.event = #"{"host":{"name":"office-1"}}"#
        _ = try await database.insertAlerts([lab, labAcknowledged, labClosed, otherRule, office])

        let record = ExceptionRecord(id: "x1", itemID: "lab", document: "{}", createdAtMilliseconds: 1, updatedAtMilliseconds: 1)
        let closing = AlertClosing(ruleID: lab.ruleID, reason: "closed by exception item x1") {
            { event in event.contains("\"lab-") }
        }
        let closed = try await database.insertException(record, context: AuditContext(actor: "lead", atMilliseconds: 9), closing: closing)

        #expect(closed == 2)
        #expect(try await database.alert(id: "lab")?.status == .closed)
        #expect(try await database.alert(id: "lab-ack")?.status == .closed)
        #expect(try await database.alert(id: "other-rule")?.status == .open)
        #expect(try await database.alert(id: "office")?.status == .open)
        #expect(try await database.statusChanges(alertID: "lab").first?.reason == "closed by exception item x1")
        #expect(try await database.statusChanges(alertID: "lab-closed") == [])
    }
}
