import Foundation
import Testing

@testable import Storage

@Suite("Related alerts")
struct RelatedAlertsTests {
    static let hour: Int64 = 3_600_000
    static let base: Int64 = 1_700_000_000_000

    @Test("same host or user within the window")
    func sameHostOrUserWithinWindow() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts([
            makeAlert(id: "subject", timestampMilliseconds: Self.base, hostName: "host-1", userName: "alice"),
            makeAlert(id: "same-host-before", timestampMilliseconds: Self.base - 47 * Self.hour, hostName: "host-1", userName: "bob"),
            makeAlert(id: "same-user-after", timestampMilliseconds: Self.base + 48 * Self.hour, hostName: "host-9", userName: "alice"),
            makeAlert(id: "same-host-too-old", timestampMilliseconds: Self.base - 49 * Self.hour, hostName: "host-1", userName: "alice"),
            makeAlert(id: "other-host-and-user", timestampMilliseconds: Self.base, hostName: "host-2", userName: "carol"),
        ])

        let related = try #require(try await database.relatedAlerts(to: "subject", window: 48 * 3600, limit: 10))

        #expect(related.alert.id == "subject")
        #expect(related.records.map(\.id) == ["same-user-after", "same-host-before"])
        #expect(related.hasMore == false)
        #expect(related.sinceMilliseconds == Self.base - 48 * Self.hour)
        #expect(related.untilMilliseconds == Self.base + 48 * Self.hour)
    }

    @Test("limit sets hasMore")
    func limitSetsHasMore() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        let others = (1...3).map { makeAlert(id: "other-\($0)", timestampMilliseconds: Self.base + Int64($0)) }
        _ = try await database.insertAlerts([makeAlert(id: "subject", timestampMilliseconds: Self.base)] + others)

        let related = try #require(try await database.relatedAlerts(to: "subject", window: 3600, limit: 2))

        #expect(related.records.map(\.id) == ["other-3", "other-2"])
        #expect(related.hasMore)
    }

    @Test("no host or user has none")
    func noHostOrUserHasNone() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        _ = try await database.insertAlerts([
            makeAlert(id: "anonymous", hostName: nil, userName: nil),
            makeAlert(id: "anonymous-too", hostName: nil, userName: nil),
        ])

        let related = try await database.relatedAlerts(to: "anonymous", window: 3600, limit: 10)

        #expect(related?.records == [])
        #expect(try await database.relatedAlerts(to: "missing", window: 3600, limit: 10) == nil)
    }
}
