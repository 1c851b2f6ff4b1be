import Foundation
import Synchronization
import Testing

@testable import Storage

@Suite("Alert inserts")
struct AlertInsertTests {
    @Test("second insert is duplicate")
    func secondInsertIsDuplicate() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        let first = try await database.insertAlerts([makeAlert(id: "a1")])
        var changed = makeAlert(id: "a1")
        changed.severity = "high"
        let second = try await database.insertAlerts([changed])

        #expect(first == [.inserted])
        #expect(second == [.duplicate])
        #expect(try queryInteger("SELECT count(*) FROM alerts", path: folder.databasePath) == 1)
        #expect(try await database.alert(id: "a1")?.severity == "medium")
    }

    @Test("outcomes keep input order")
    func outcomesKeepOrder() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        _ = try await database.insertAlerts([makeAlert(id: "b")])
        let outcomes = try await database.insertAlerts([makeAlert(id: "a"), makeAlert(id: "b"), makeAlert(id: "c"), makeAlert(id: "a")])

        #expect(outcomes == [.inserted, .duplicate, .inserted, .duplicate])
        #expect(try await database.insertAlerts([]) == [])
    }

    @Test("stored record round-trips")
    func storedRecordRoundTrips() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }
        var alert = makeAlert(id: "round-trip", hostName: nil, userName: nil)
        alert.originalTime = nil
        alert.registryPath = nil
        alert.document = #"{"message":"naïve \u0000 \"quoted\" 🎯"}"#

        _ = try await database.insertAlerts([alert])

        #expect(try await database.alert(id: "round-trip") == alert)
        #expect(try await database.alert(id: "missing") == nil)
    }

    @Test("concurrent same id stores one")
    func concurrentSameIDStoresOne() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        let outcomes = try await withThrowingTaskGroup(of: [AlertInsertOutcome].self) { group in
            for _ in 0..<20 {
                group.addTask { try await database.insertAlerts([makeAlert(id: "same")]) }
            }
            var outcomes: [AlertInsertOutcome] = []
            for try await result in group {
                outcomes += result
            }
            return outcomes
        }

        #expect(outcomes.count == 20)
        #expect(outcomes.filter { $0 == .inserted }.count == 1)
        #expect(outcomes.filter { $0 == .duplicate }.count == 19)
        #expect(try queryInteger("SELECT count(*) FROM alerts", path: folder.databasePath) == 1)
    }

    @Test("concurrent distinct ids all stored")
    func concurrentDistinctIDsStored() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        let outcomes = try await withThrowingTaskGroup(of: [AlertInsertOutcome].self) { group in
            for index in 0..<64 {
                group.addTask { try await database.insertAlerts([makeAlert(id: "alert-\(index)")]) }
            }
            var outcomes: [AlertInsertOutcome] = []
            for try await result in group {
                outcomes += result
            }
            return outcomes
        }

        #expect(outcomes == Array(repeating: .inserted, count: 64))
        #expect(try queryInteger("SELECT count(*) FROM alerts", path: folder.databasePath) == 64)
        let page = try await database.alerts(AlertQuery(limit: 100))
        #expect(Set(page.records.map(\.id)) == Set((0..<64).map { "alert-\($0)" }))
        #expect(database.writeStatistics.committedJobs == 64)
    }

    @Test("queued writes share one commit")
    func queuedWritesShareCommit() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        // Another connection holds the write lock, so the writer's first transaction waits in
        // BEGIN IMMEDIATE (busy timeout 5 s) while the remaining jobs queue up behind it.
        let blocker = try Connection(path: folder.databasePath, access: .readWrite, logger: makeLogger())
        defer { blocker.close() }
        try blocker.run("BEGIN IMMEDIATE")

        let submitted = SubmissionCounter()
        let inserts = Task {
            try await withThrowingTaskGroup(of: [AlertInsertOutcome].self) { group in
                for index in 0..<64 {
                    group.addTask {
                        submitted.increment()
                        return try await database.insertAlerts([makeAlert(id: "grouped-\(index)")])
                    }
                }
                var outcomes: [AlertInsertOutcome] = []
                for try await result in group {
                    outcomes += result
                }
                return outcomes
            }
        }

        let deadline = ContinuousClock.now + .seconds(3)
        while submitted.count < 64 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(100))
        try blocker.run("COMMIT")

        let outcomes = try await inserts.value
        let statistics = database.writeStatistics
        #expect(outcomes == Array(repeating: .inserted, count: 64))
        #expect(statistics.committedJobs == 64)
        #expect(statistics.committedTransactions < 64)
        #expect(statistics.committedTransactions <= 3)
    }
}

/// Counts tasks that have started their write, shared by the tasks of one test.
final class SubmissionCounter: Sendable {
    private let value = Mutex(0)

    func increment() {
        value.withLock { $0 += 1 }
    }

    var count: Int {
        value.withLock { $0 }
    }
}
