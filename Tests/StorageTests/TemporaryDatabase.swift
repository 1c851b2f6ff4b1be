import Foundation
import Logging

@testable import Storage

/// A folder under the system temporary directory. Tests call `remove()` in a `defer` placed
/// before the one that closes the database, so the files outlive every connection.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("storage-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    var databasePath: String {
        url.appendingPathComponent("data/detectd.sqlite").path
    }
}

func makeLogger(sink: LogSink = LogSink()) -> Logger {
    Logger(label: "storage-tests", level: .debug, sink: sink)
}

func openDatabase(at path: String, logger: Logger = makeLogger(), readerCount: Int = 2) throws(StorageError) -> Database {
    try Database(configuration: DatabaseConfiguration(path: path, readerCount: readerCount), logger: logger)
}

func makeAlert(
    id: String,
    timestampMilliseconds: Int64 = 1_700_000_000_000,
    status: AlertStatus = .open,
    hostName: String? = "WIN-HOST-1",
    userName: String? = "alice"
) -> AlertRecord {
    AlertRecord(
        id: id,
        ruleID: "3535c8bb-3bd5-40f4-ae32-b7cd589d5372",
        status: status,
        severity: "medium",
        timestampMilliseconds: timestampMilliseconds,
        timestamp: "2023-11-14T22:13:20.000Z",
        originalTime: "2023-11-14T22:13:19.500Z",
        createdAtMilliseconds: 1_700_000_001_000,
        updatedAtMilliseconds: 1_700_000_001_000,
        hostName: hostName,
        userName: userName,
        registryPath: #"HKLM\SYSTEM\ControlSet001\Services\PortProxy\v4tov4\tcp\0.0.0.0/4444"#,
        document: #"{"kibana.alert.uuid":"\#(id)"}"#,
        event: #"{"event":{"category":["registry"]}}"#)
}

/// Runs one SQL statement that returns an integer on a separate read-only connection.
/// Returns the steps of SQLite's plan for `sql` (the `detail` column of `EXPLAIN QUERY PLAN`),
/// joined by newlines.
func queryPlan(_ sql: String, path: String) throws -> String {
    let connection = try Connection(path: path, access: .readOnly, logger: makeLogger())
    defer { connection.close() }
    return try connection.withStatement("EXPLAIN QUERY PLAN " + sql) { statement throws(StorageError) in
        var steps: [String] = []
        while try statement.step() {
            steps.append(statement.text(at: 3))
        }
        return steps.joined(separator: "\n")
    }
}

func queryInteger(_ sql: String, path: String) throws -> Int64? {
    let connection = try Connection(path: path, access: .readOnly, logger: makeLogger())
    defer { connection.close() }
    return try connection.integer(sql)
}
