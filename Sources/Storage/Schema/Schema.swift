/// The schema steps of this build, oldest first. Append new steps; never edit one that has shipped.
enum Schema {
    static let migrator = Migrator(migrations: [createTables, addAuditLog, indexExceptionsByCreation])

    static let createTables = Migration(
        version: 1,
        name: "create alerts, alert_status_changes, exceptions and write_probe",
        sql: """
            CREATE TABLE alerts (
                id TEXT PRIMARY KEY NOT NULL,
                rule_id TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'closed')),
                severity TEXT NOT NULL,
                timestamp_ms INTEGER NOT NULL,
                timestamp TEXT NOT NULL,
                original_time TEXT,
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL,
                host_name TEXT,
                user_name TEXT,
                registry_path TEXT,
                document TEXT NOT NULL,
                event TEXT NOT NULL
            ) STRICT;

            CREATE INDEX alerts_by_time ON alerts (timestamp_ms DESC, id DESC);
            CREATE INDEX alerts_by_status ON alerts (status, timestamp_ms DESC, id DESC);
            CREATE INDEX alerts_by_host_name ON alerts (host_name, timestamp_ms DESC, id DESC);
            CREATE INDEX alerts_by_user_name ON alerts (user_name, timestamp_ms DESC, id DESC);

            CREATE TABLE alert_status_changes (
                id INTEGER PRIMARY KEY,
                alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
                from_status TEXT NOT NULL,
                to_status TEXT NOT NULL,
                actor TEXT NOT NULL,
                reason TEXT,
                at_ms INTEGER NOT NULL
            ) STRICT;

            CREATE INDEX alert_status_changes_by_alert ON alert_status_changes (alert_id, id);

            CREATE TABLE exceptions (
                id TEXT PRIMARY KEY NOT NULL,
                item_id TEXT NOT NULL UNIQUE,
                document TEXT NOT NULL,
                created_at_ms INTEGER NOT NULL,
                updated_at_ms INTEGER NOT NULL
            ) STRICT;

            -- One row that the readiness check rewrites, to prove a commit reaches the disk.
            CREATE TABLE write_probe (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                checked_at_ms INTEGER NOT NULL
            ) STRICT;
            """)

    static let addAuditLog = Migration(
        version: 2,
        name: "create audit_log and index alerts by severity",
        sql: """
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at_ms INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL CHECK (action IN ('create', 'replace', 'delete')),
                object_type TEXT NOT NULL,
                object_id TEXT NOT NULL,
                before TEXT,
                after TEXT
            ) STRICT;

            CREATE INDEX audit_log_by_object ON audit_log (object_id, id);

            CREATE INDEX alerts_by_severity ON alerts (severity, timestamp_ms DESC, id DESC);
            """)

    /// The exception list pages in creation order; without an index each page sorted the table.
    static let indexExceptionsByCreation = Migration(
        version: 3,
        name: "index exceptions by creation time",
        sql: """
            CREATE INDEX exceptions_by_creation ON exceptions (created_at_ms, id);
            """)
}
