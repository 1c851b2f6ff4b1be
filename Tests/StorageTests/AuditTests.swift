import Foundation
import Testing

@testable import Storage

@Suite("Audit log")
struct AuditTests {
    static func item(id: String, itemID: String, name: String) -> ExceptionRecord {
        ExceptionRecord(
            id: id, itemID: itemID, document: #"{"item_id":"\#(itemID)","name":"\#(name)"}"#,
            createdAtMilliseconds: 1_000, updatedAtMilliseconds: 1_000)
    }

    @Test("exception changes are recorded")
    func exceptionChangesRecorded() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let created = Self.item(id: "e1", itemID: "lab", name: "v1")
        let replaced = Self.item(id: "e1", itemID: "lab", name: "v2")

        try await database.insertException(created, context: AuditContext(actor: "alice", atMilliseconds: 10))
        _ = try await database.replaceException(replaced, context: AuditContext(actor: "bob", atMilliseconds: 20))
        _ = try await database.deleteException(id: "e1", context: AuditContext(actor: "carol", atMilliseconds: 30))

        let page = try await database.auditEntries(AuditQuery(limit: 10))
        #expect(page.nextCursor == nil)
        #expect(page.entries.map(\.action) == [.delete, .replace, .create])
        #expect(page.entries.map(\.actor) == ["carol", "bob", "alice"])
        #expect(page.entries.map(\.atMilliseconds) == [30, 20, 10])
        #expect(page.entries.allSatisfy { $0.objectType == "exception" })
        #expect(page.entries.allSatisfy { $0.objectID == "e1" })
        #expect(page.entries[2].before == nil)
        #expect(page.entries[2].after == created.document)
        #expect(page.entries[1].before == created.document)
        #expect(page.entries[1].after == replaced.document)
        #expect(page.entries[0].before == replaced.document)
        #expect(page.entries[0].after == nil)
    }

    @Test("failed change records nothing")
    func failedChangeRecordsNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let context = AuditContext(actor: "alice", atMilliseconds: 10)
        try await database.insertException(Self.item(id: "e1", itemID: "lab", name: "v1"), context: context)

        await #expect(throws: StorageError.duplicateExceptionItemID("lab")) {
            try await database.insertException(Self.item(id: "e2", itemID: "lab", name: "v1"), context: context)
        }
        #expect(try await database.replaceException(Self.item(id: "missing", itemID: "x", name: "v1"), context: context) == false)
        #expect(try await database.deleteException(id: "missing", context: context) == nil)

        #expect(try await database.auditEntries(AuditQuery(limit: 10)).entries.count == 1)
    }

    @Test("paging and filters")
    func pagingAndFilters() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        for index in 1...5 {
            let context = AuditContext(actor: "alice", atMilliseconds: Int64(index))
            try await database.insertException(Self.item(id: "e\(index)", itemID: "item-\(index)", name: "n"), context: context)
        }
        _ = try await database.deleteException(id: "e2", context: AuditContext(actor: "bob", atMilliseconds: 9))

        let first = try await database.auditEntries(AuditQuery(limit: 4))
        let second = try await database.auditEntries(AuditQuery(limit: 4, cursor: first.nextCursor))

        #expect(first.entries.map(\.objectID) == ["e2", "e5", "e4", "e3"])
        #expect(second.entries.map(\.objectID) == ["e2", "e1"])
        #expect(second.nextCursor == nil)
        #expect(try await database.auditEntries(AuditQuery(limit: 10, objectID: "e2")).entries.map(\.action) == [.delete, .create])
        #expect(try await database.auditEntries(AuditQuery(limit: 10, action: .delete)).entries.map(\.objectID) == ["e2"])
    }

    @Test("invalid cursor and limit rejected")
    func invalidCursorAndLimitRejected() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        await #expect(throws: StorageError.invalidLimit(0, allowed: AuditQuery.limitRange)) {
            try await database.auditEntries(AuditQuery(limit: 0))
        }
        for cursor in ["", "abc", "YXVkaXQ6LTE", "' OR 1=1 --"] {
            await #expect(throws: StorageError.self, "cursor \(cursor)") {
                try await database.auditEntries(AuditQuery(limit: 10, cursor: cursor))
            }
        }
    }
}
