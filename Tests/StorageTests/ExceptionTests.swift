import Foundation
import Testing

@testable import Storage

@Suite("Exception items")
struct ExceptionTests {
    static func item(id: String, itemID: String, createdAt: Int64 = 1_000) -> ExceptionRecord {
        ExceptionRecord(
            id: id, itemID: itemID,
            document: #"{"item_id":"\#(itemID)","entries":[{"field":"host.name","type":"match","operator":"included","value":"lab"}]}"#,
            createdAtMilliseconds: createdAt, updatedAtMilliseconds: createdAt)
    }

    static let context = AuditContext(actor: "analyst", atMilliseconds: 5_000)

    @Test("create read replace delete")
    func createReadReplaceDelete() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let first = Self.item(id: "e1", itemID: "lab-hosts", createdAt: 1_000)
        let second = Self.item(id: "e2", itemID: "build-agents", createdAt: 2_000)

        try await database.insertException(first, context: Self.context)
        try await database.insertException(second, context: Self.context)
        #expect(try await database.exceptions() == [first, second])
        #expect(try await database.exception(id: "e2") == second)

        var replacement = Self.item(id: "e1", itemID: "lab-hosts-v2", createdAt: 9_999)
        replacement.updatedAtMilliseconds = 3_000
        #expect(try await database.replaceException(replacement, context: Self.context))
        let stored = try await database.exception(id: "e1")
        #expect(stored?.itemID == "lab-hosts-v2")
        #expect(stored?.document == replacement.document)
        #expect(stored?.createdAtMilliseconds == 1_000)
        #expect(stored?.updatedAtMilliseconds == 3_000)

        #expect(try await database.deleteException(id: "e1", context: Self.context) == stored)
        #expect(try await database.exception(id: "e1") == nil)
        #expect(try await database.exceptions() == [second])
    }

    @Test("lookup by id or item_id")
    func lookupByIDOrItemID() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let first = Self.item(id: "e1", itemID: "lab-hosts", createdAt: 1_000)
        // An item_id equal to another item's id: the id match must win.
        let second = Self.item(id: "e2", itemID: "e1", createdAt: 2_000)
        try await database.insertException(first, context: Self.context)
        try await database.insertException(second, context: Self.context)

        #expect(try await database.exception(idOrItemID: "lab-hosts") == first)
        #expect(try await database.exception(idOrItemID: "e2") == second)
        #expect(try await database.exception(idOrItemID: "e1") == first)
        #expect(try await database.exception(idOrItemID: "LAB-HOSTS") == nil)
        #expect(try await database.exception(idOrItemID: "") == nil)
    }

    @Test("missing item not replaced or deleted")
    func missingItemNotReplaced() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        #expect(try await database.replaceException(Self.item(id: "nope", itemID: "nope"), context: Self.context) == false)
        #expect(try await database.deleteException(id: "nope", context: Self.context) == nil)
        #expect(try await database.exceptions() == [])
    }

    @Test("equivalent replacement writes nothing")
    func equivalentReplacementWritesNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let original = Self.item(id: "e1", itemID: "lab-hosts", createdAt: 1_000)
        try await database.insertException(original, context: Self.context)

        var newer = original
        newer.updatedAtMilliseconds = 7_000
        let sameDocument = newer.document
        let skipped = try await database.replaceException(newer, context: Self.context) { stored in
            stored.document == sameDocument
        }
        #expect(skipped == .unchanged)
        #expect(try await database.exception(id: "e1") == original)
        #expect(try await database.auditEntries(AuditQuery(limit: 10)).entries.map(\.action) == [.create])

        newer.document = #"{"item_id":"lab-hosts","entries":[]}"#
        let newDocument = newer.document
        let replaced = try await database.replaceException(newer, context: Self.context) { stored in
            stored.document == newDocument
        }
        #expect(replaced == .replaced)
        #expect(try await database.exception(id: "e1") == newer)
        let entries = try await database.auditEntries(AuditQuery(limit: 10)).entries
        #expect(entries.map(\.action) == [.replace, .create])
        #expect(entries.first?.before == original.document)
        #expect(entries.first?.after == newer.document)

        let missing = try await database.replaceException(Self.item(id: "nope", itemID: "nope"), context: Self.context) { _ in false }
        #expect(missing == .notFound)
    }

    @Test("item_id conflict rejected")
    func itemIDConflictRejected() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        try await database.insertException(Self.item(id: "e1", itemID: "lab-hosts"), context: Self.context)
        try await database.insertException(Self.item(id: "e2", itemID: "build-agents"), context: Self.context)

        await #expect(throws: StorageError.duplicateExceptionItemID("lab-hosts")) {
            try await database.insertException(Self.item(id: "e3", itemID: "lab-hosts"), context: Self.context)
        }
        await #expect(throws: StorageError.duplicateExceptionItemID("lab-hosts")) {
            try await database.replaceException(Self.item(id: "e2", itemID: "lab-hosts"), context: Self.context)
        }
        await #expect(throws: StorageError.duplicateExceptionID("e1")) {
            try await database.insertException(Self.item(id: "e1", itemID: "other"), context: Self.context)
        }
        #expect(try await database.exceptions().map(\.itemID) == ["lab-hosts", "build-agents"])
    }

    @Test("failed job leaves batch intact")
    func failedJobLeavesBatchIntact() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        try await database.insertException(Self.item(id: "e0", itemID: "taken"), context: Self.context)

        // Conflicting and valid writes submitted together may share one transaction, and each
        // conflict must roll back alone.
        let results = await withTaskGroup(of: (Int, StorageError?).self) { group in
            for index in 1...20 {
                group.addTask {
                    let itemID = index.isMultiple(of: 2) ? "taken" : "free-\(index)"
                    do throws(StorageError) {
                        try await database.insertException(Self.item(id: "e\(index)", itemID: itemID), context: Self.context)
                        return (index, nil)
                    } catch {
                        return (index, error)
                    }
                }
            }
            var results: [Int: StorageError?] = [:]
            for await (index, error) in group {
                results[index] = error
            }
            return results
        }

        for index in 1...20 {
            let expected: StorageError? = index.isMultiple(of: 2) ? .duplicateExceptionItemID("taken") : nil
            #expect(results[index] == expected, "job \(index)")
        }
        #expect(try await database.exceptions().count == 11)
    }
}
