import Foundation
import Testing

@testable import Storage

@Suite("Alert list")
struct AlertListTests {
    /// Six alerts over three hosts, two users, three statuses and two shared timestamps.
    static let fixture: [AlertRecord] = [
        makeAlert(id: "a", timestampMilliseconds: 1_000, status: .open, hostName: "host-1", userName: "alice"),
        makeAlert(id: "b", timestampMilliseconds: 2_000, status: .acknowledged, hostName: "host-1", userName: "bob"),
        makeAlert(id: "c", timestampMilliseconds: 2_000, status: .closed, hostName: "host-2", userName: "alice"),
        makeAlert(id: "d", timestampMilliseconds: 3_000, status: .open, hostName: "host-2", userName: nil),
        makeAlert(id: "e", timestampMilliseconds: 3_000, status: .open, hostName: nil, userName: "bob"),
        makeAlert(id: "f", timestampMilliseconds: 4_000, status: .closed, hostName: "host-3", userName: "alice"),
    ]

    /// Opens a database holding `fixture`. The folder must outlive the database.
    private func openFixture() async throws -> (TemporaryFolder, Database) {
        let folder = try TemporaryFolder()
        let database = try openDatabase(at: folder.databasePath)
        _ = try await database.insertAlerts(Self.fixture)
        return (folder, database)
    }

    private func ids(_ database: Database, _ query: AlertQuery) async throws -> [String] {
        try await database.alerts(query).records.map(\.id)
    }

    @Test("newest first with id tiebreak")
    func newestFirst() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        #expect(try await ids(database, AlertQuery(limit: 10)) == ["f", "e", "d", "c", "b", "a"])
    }

    @Test("ascending order")
    func ascendingOrder() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        #expect(try await ids(database, AlertQuery(limit: 10, ascending: true)) == ["a", "b", "c", "d", "e", "f"])
    }

    @Test("status filter")
    func statusFilter() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        #expect(try await ids(database, AlertQuery(statuses: [.open], limit: 10)) == ["e", "d", "a"])
        #expect(try await ids(database, AlertQuery(statuses: [.closed, .acknowledged], limit: 10)) == ["f", "c", "b"])
        #expect(try await ids(database, AlertQuery(statuses: AlertStatus.allCases, limit: 10)) == ["f", "e", "d", "c", "b", "a"])
    }

    @Test("host and user filters")
    func hostAndUserFilters() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        #expect(try await ids(database, AlertQuery(hostName: "host-2", limit: 10)) == ["d", "c"])
        #expect(try await ids(database, AlertQuery(userName: "bob", limit: 10)) == ["e", "b"])
        #expect(try await ids(database, AlertQuery(hostName: "host-1", userName: "alice", limit: 10)) == ["a"])
        #expect(try await ids(database, AlertQuery(hostName: "HOST-1", limit: 10)) == [])
    }

    @Test("time range is inclusive")
    func timeRangeInclusive() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        #expect(try await ids(database, AlertQuery(sinceMilliseconds: 3_000, limit: 10)) == ["f", "e", "d"])
        #expect(try await ids(database, AlertQuery(untilMilliseconds: 2_000, limit: 10)) == ["c", "b", "a"])
        #expect(try await ids(database, AlertQuery(sinceMilliseconds: 2_000, untilMilliseconds: 3_000, limit: 10)) == ["e", "d", "c", "b"])
    }

    @Test("filters combine with paging")
    func filtersCombineWithPaging() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        let first = try await database.alerts(AlertQuery(statuses: [.open, .closed], limit: 2))
        let second = try await database.alerts(AlertQuery(statuses: [.open, .closed], limit: 2, cursor: first.nextCursor))
        let third = try await database.alerts(AlertQuery(statuses: [.open, .closed], limit: 2, cursor: second.nextCursor))

        #expect(first.records.map(\.id) == ["f", "e"])
        #expect(second.records.map(\.id) == ["d", "c"])
        #expect(third.records.map(\.id) == ["a"])
        #expect(third.nextCursor == nil)
    }

    @Test("exact last page has no cursor")
    func exactLastPageHasNoCursor() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        let page = try await database.alerts(AlertQuery(limit: 6))
        #expect(page.records.count == 6)
        #expect(page.nextCursor == nil)
    }

    @Test("paging while alerts arrive")
    func pagingWhileAlertsArrive() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        // Three alerts share each timestamp, so page boundaries fall between equal times.
        let original = (0..<25).map { makeAlert(id: String(format: "old-%02d", $0), timestampMilliseconds: 10_000 + Int64($0 / 3)) }
        _ = try await database.insertAlerts(original)

        var seen: [String] = []
        var cursor: String?
        var arrivedOlder: [AlertRecord] = []
        var pageCount = 0
        repeat {
            let page = try await database.alerts(AlertQuery(limit: 7, cursor: cursor))
            seen += page.records.map(\.id)
            cursor = page.nextCursor
            pageCount += 1

            // Newer alerts sort before the cursor, so they must not show up. Older ones sort after it, so they must.
            let newer = makeAlert(id: "new-\(pageCount)", timestampMilliseconds: 50_000 + Int64(pageCount))
            let older = makeAlert(id: "older-\(pageCount)", timestampMilliseconds: 100 + Int64(pageCount))
            arrivedOlder.append(older)
            _ = try await database.insertAlerts([newer, older])
        } while cursor != nil && pageCount < 20

        let expected = (original + arrivedOlder.dropLast())
            .sorted { ($0.timestampMilliseconds, $0.id) > ($1.timestampMilliseconds, $1.id) }
            .map(\.id)
        #expect(seen == expected)
        #expect(Set(seen).count == seen.count)
    }

    @Test("malformed cursor rejected")
    func malformedCursorRejected() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        let malformed = [
            "",
            "not base64!",
            "A",
            AlertCursor.encodeForTest("x:1000:a"),
            AlertCursor.encodeForTest("d:soon:a"),
            AlertCursor.encodeForTest("d:1000:"),
            AlertCursor.encodeForTest("d:1000"),
        ]
        for cursor in malformed {
            await #expect(throws: StorageError.self, "cursor \(cursor)") {
                try await database.alerts(AlertQuery(limit: 2, cursor: cursor))
            }
        }
    }

    @Test("cursor from other order rejected")
    func cursorFromOtherOrderRejected() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        let descending = try await database.alerts(AlertQuery(limit: 2))
        let cursor = try #require(descending.nextCursor)

        await #expect(
            throws: StorageError.invalidCursor(cursor: cursor, reason: "the cursor was issued for newest-first order, not oldest-first")
        ) {
            try await database.alerts(AlertQuery(limit: 2, cursor: cursor, ascending: true))
        }
    }

    @Test("limit out of range rejected")
    func limitOutOfRangeRejected() async throws {
        let (folder, database) = try await openFixture()
        defer { folder.remove() }
        defer { database.close() }
        await #expect(throws: StorageError.invalidLimit(0, allowed: AlertQuery.limitRange)) {
            try await database.alerts(AlertQuery(limit: 0))
        }
        await #expect(throws: StorageError.invalidLimit(Int.max, allowed: AlertQuery.limitRange)) {
            try await database.alerts(AlertQuery(limit: Int.max))
        }
    }
}

extension AlertCursor {
    /// Encodes arbitrary text the way real cursors are encoded, to build malformed ones.
    static func encodeForTest(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
