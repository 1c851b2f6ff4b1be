import Foundation
import Testing

@testable import Storage

@Suite("Migrations")
struct MigrationTests {
    @Test("empty file migrates to latest")
    func emptyFileMigrates() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        #expect(database.schemaVersion == Schema.migrator.latestVersion)
        #expect(try queryInteger("PRAGMA user_version", path: folder.databasePath) == Int64(Schema.migrator.latestVersion))
        for table in ["alerts", "alert_status_changes", "exceptions", "write_probe", "audit_log"] {
            let count = try queryInteger("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '\(table)'", path: folder.databasePath)
            #expect(count == 1, "table \(table)")
        }
        for index in [
            "alerts_by_time", "alerts_by_status", "alerts_by_host_name", "alerts_by_user_name", "alerts_by_severity", "audit_log_by_object",
            "exceptions_by_creation",
        ] {
            let count = try queryInteger("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '\(index)'", path: folder.databasePath)
            #expect(count == 1, "index \(index)")
        }
    }

    @Test("version 2 file gains the exception index")
    func upgradeFromVersion2() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("version2.sqlite").path
        let older = try Connection(path: path, access: .readWrite, logger: makeLogger())
        for migration in [Schema.createTables, Schema.addAuditLog] {
            try older.execute(script: migration.sql)
        }
        try older.execute(script: "PRAGMA user_version = 2")
        older.close()

        let database = try openDatabase(at: path)
        defer { database.close() }
        #expect(database.schemaVersion == 3)
        let plan = try queryPlan("SELECT id FROM exceptions WHERE (created_at_ms, id) > (0, '') ORDER BY created_at_ms, id LIMIT 10", path: path)
        #expect(plan.contains("exceptions_by_creation"), "\(plan)")
    }

    @Test("parent folder is created")
    func parentFolderCreated() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("a/b/c/detectd.sqlite").path
        let database = try openDatabase(at: path)
        database.close()

        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("journal mode is WAL")
    func journalModeIsWAL() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try openDatabase(at: folder.databasePath)
        defer { database.close() }

        let connection = try Connection(path: folder.databasePath, access: .readOnly, logger: makeLogger())
        defer { connection.close() }
        #expect(try connection.text("PRAGMA journal_mode") == "wal")
    }

    @Test("reopen keeps data")
    func reopenKeepsData() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let first = try openDatabase(at: folder.databasePath)
        _ = try await first.insertAlerts([makeAlert(id: "kept")])
        first.close()

        let second = try openDatabase(at: folder.databasePath)
        defer { second.close() }
        #expect(second.schemaVersion == Schema.migrator.latestVersion)
        #expect(try await second.alert(id: "kept") == makeAlert(id: "kept"))
    }

    @Test("newer user_version rejected untouched")
    func newerSchemaRejected() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("future.sqlite").path
        let future = try Connection(path: path, access: .readWrite, logger: makeLogger())
        try future.execute(script: "CREATE TABLE future (x INTEGER); PRAGMA user_version = 99")
        future.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        #expect(throws: StorageError.schemaTooNew(path: path, userVersion: 99, supportedVersion: Schema.migrator.latestVersion)) {
            try openDatabase(at: path)
        }

        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(after == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(try queryInteger("PRAGMA user_version", path: path) == 99)
    }

    @Test("invalid configuration rejected")
    func invalidConfigurationRejected() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }

        #expect(throws: StorageError.self) {
            try openDatabase(at: folder.databasePath, readerCount: 0)
        }
        #expect(throws: StorageError.self) {
            try openDatabase(at: ":memory:")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.databasePath))
    }
}
