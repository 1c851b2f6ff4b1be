import Logging

/// One numbered schema step. `version` is the `PRAGMA user_version` the file has once the step
/// has run: https://sqlite.org/pragma.html#pragma_user_version
struct Migration: Sendable {
    let version: Int32
    let name: String
    /// Constant DDL, run as one script.
    let sql: String
}

/// Brings a database file up to the newest schema version, one migration per IMMEDIATE transaction.
struct Migrator {
    let migrations: [Migration]

    var latestVersion: Int32 {
        migrations.last?.version ?? 0
    }

    /// Reads the file's schema version without writing to it, and throws `.schemaTooNew`
    /// when it is newer than `latestVersion`.
    func checkSupported(_ connection: Connection) throws(StorageError) -> Int32 {
        let version = try userVersion(connection)
        guard version <= latestVersion else {
            throw .schemaTooNew(path: connection.path, userVersion: version, supportedVersion: latestVersion)
        }
        return version
    }

    /// Runs every migration newer than the file's version and returns the final version.
    /// Each step re-reads the version inside its transaction, so that two processes opening the
    /// same new file do not run a step twice.
    func migrate(_ connection: Connection, logger: Logger) throws(StorageError) -> Int32 {
        for migration in migrations {
            let applied = try connection.transaction(.immediate) { () throws(StorageError) -> Bool in
                let current = try userVersion(connection)
                guard current < migration.version else {
                    return false
                }
                try connection.execute(script: migration.sql)
                // PRAGMA takes no bound parameters; the version is a constant of this build.
                try connection.execute(script: "PRAGMA user_version = \(migration.version)")
                return true
            }
            if applied {
                logger.info(
                    "schema migration applied",
                    ["path": connection.path, "version": String(migration.version), "name": migration.name])
            }
        }
        return try checkSupported(connection)
    }

    private func userVersion(_ connection: Connection) throws(StorageError) -> Int32 {
        Int32(truncatingIfNeeded: try connection.integer("PRAGMA user_version") ?? 0)
    }
}
