import Foundation
import Testing

@testable import Storage

/// The list must never read the whole table or sort all matches: each filter is served by an
/// index that also gives the order, so a page costs about `limit` rows whatever the table size.
@Suite("Alert list query plans")
struct AlertQueryPlanTests {
    static let cases: [(name: String, filter: AlertFilter, index: String)] = [
        ("no filter", AlertFilter(), "alerts_by_time"),
        ("one status", AlertFilter(statuses: [.open]), "alerts_by_status"),
        ("severity", AlertFilter(severities: ["high"]), "alerts_by_severity"),
        ("host", AlertFilter(hostName: "host-1"), "alerts_by_host_name"),
        ("user", AlertFilter(userName: "alice"), "alerts_by_user_name"),
        ("host and status", AlertFilter(statuses: [.open], hostName: "host-1"), "alerts_by_"),
        ("time range", AlertFilter(sinceMilliseconds: 1, untilMilliseconds: 2), "alerts_by_time"),
    ]

    @Test("each filter uses an index", arguments: 0..<cases.count)
    func eachFilterUsesIndex(_ caseIndex: Int) throws {
        let (name, filter, index) = Self.cases[caseIndex]
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        for ascending in [false, true] {
            let query = AlertQuery(filter: filter, limit: 100, ascending: ascending)
            let cursor = AlertCursor(timestampMilliseconds: 5, id: "x", ascending: ascending)
            for (sql, _) in [AlertRepository.listSQL(query, after: nil), AlertRepository.listSQL(query, after: cursor)] {
                let plan = try queryPlan(sql, path: folder.databasePath)
                #expect(plan.contains { $0.contains("USING INDEX \(index)") || $0.contains("USING COVERING INDEX \(index)") }, "\(name): \(plan)")
                #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(name): \(plan)")
            }
        }
    }

    private func queryPlan(_ sql: String, path: String) throws -> [String] {
        let connection = try Connection(path: path, access: .readOnly, logger: makeLogger())
        defer { connection.close() }
        return try connection.withStatement("EXPLAIN QUERY PLAN " + sql) { statement throws(StorageError) in
            var details: [String] = []
            while try statement.step() {
                details.append(statement.text(at: 3))
            }
            return details
        }
    }
}
