import Foundation
import Testing

@testable import Storage

@Suite("Exception list paging")
struct ExceptionPageTests {
    static let context = AuditContext(actor: "analyst", atMilliseconds: 5_000)

    @Test("walk sees every item once")
    func walkSeesEveryItemOnce() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        // Five items per creation time, so most page boundaries fall between items of one millisecond.
        var inserted: [ExceptionRecord] = []
        for index in 0..<23 {
            let record = ExceptionTests.item(id: "e\(22 - index)", itemID: "item-\(index)", createdAt: Int64(1_000 + index / 5))
            try await database.insertException(record, context: Self.context)
            inserted.append(record)
        }
        let expectedOrder = inserted.sorted { ($0.createdAtMilliseconds, $0.id) < ($1.createdAtMilliseconds, $1.id) }

        var walked: [ExceptionRecord] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await database.exceptionPage(ExceptionQuery(limit: 4, cursor: cursor))
            #expect(page.total == 23)
            #expect(page.records.count == (page.nextCursor == nil ? 3 : 4))
            walked += page.records
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10

        #expect(pages == 6)
        #expect(walked == expectedOrder)
    }

    @Test("one page holds a short list")
    func onePageHoldsShortList() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let empty = try await database.exceptionPage(ExceptionQuery(limit: 100))
        #expect(empty == ExceptionPage(records: [], nextCursor: nil, total: 0))

        let record = ExceptionTests.item(id: "e1", itemID: "lab-hosts")
        try await database.insertException(record, context: Self.context)
        let page = try await database.exceptionPage(ExceptionQuery(limit: 1))
        #expect(page == ExceptionPage(records: [record], nextCursor: nil, total: 1))
    }

    @Test("invalid limit rejected")
    func invalidLimitRejected() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        for limit in [0, -1, 1001] {
            await #expect(throws: StorageError.invalidLimit(limit, allowed: ExceptionQuery.limitRange)) {
                try await database.exceptionPage(ExceptionQuery(limit: limit))
            }
        }
    }

    @Test("malformed cursor reasons")
    func malformedCursorReasons() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let cases: [(cursor: String, reason: String)] = [
            ("", "the cursor is empty"),
            ("a=b", "the cursor does not decode as base64url to text"),
            (Base64URL.encode("d:1000:e1"), "it is not a cursor of the exception list"),
            (Base64URL.encode("exception:1000"), "it is not a cursor of the exception list"),
            (Base64URL.encode("exception:1e3:e1"), "the creation time is not an integer"),
            (Base64URL.encode("exception:1000:"), "the exception item id is missing"),
        ]
        for (cursor, reason) in cases {
            await #expect(throws: StorageError.invalidCursor(cursor: cursor, reason: reason)) {
                try await database.exceptionPage(ExceptionQuery(limit: 10, cursor: cursor))
            }
        }
    }

    @Test("cursor round trip keeps position")
    func cursorRoundTrip() throws {
        let cursor = ExceptionCursor(createdAtMilliseconds: -5, id: "id:with:colons/and+symbols?")

        let decoded = try ExceptionCursor(decoding: cursor.encoded)

        #expect(decoded == cursor)
        #expect(cursor.encoded.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }
}
