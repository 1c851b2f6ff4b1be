import CSQLite
import Logging

/// One `sqlite3` connection and its cache of prepared statements.
///
/// It is opened with SQLITE_OPEN_NOMUTEX, so SQLite does not lock it: exactly one thread may use it
/// at a time. `@unchecked Sendable` only lets it move to that owner, which is the writer thread or
/// one reader's serial queue.
final class Connection: @unchecked Sendable {
    enum Access {
        /// Read-write, creating the file when it is missing.
        case readWrite
        /// Read-only; the file must exist.
        case readOnly
    }

    let path: String
    let logger: Logger
    private var handle: OpaquePointer?
    private var statements: [String: Statement] = [:]

    init(path: String, access: Access, logger: Logger) throws(StorageError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch access {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }

        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let failure =
                connection.map { Statement.failure(connection: $0, sql: nil) }
                ?? SQLiteFailure(extendedResultCode: code, message: String(cString: sqlite3_errstr(code)), sql: nil)
            sqlite3_close_v2(connection)
            throw .sqlite(failure)
        }
        self.path = path
        self.logger = logger
        self.handle = connection
    }

    deinit {
        close()
    }

    /// Runs `body` with the cached statement for `sql`, preparing it on first use.
    /// The statement is reset and its bindings cleared when `body` returns or throws, so no
    /// statement, and no read transaction, stays open afterwards.
    func withStatement<T>(_ sql: String, _ body: (Statement) throws(StorageError) -> T) throws(StorageError) -> T {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        return try body(statement)
    }

    /// Runs one statement that returns no rows, such as `BEGIN IMMEDIATE` or an UPDATE without bindings.
    func run(_ sql: String) throws(StorageError) {
        try withStatement(sql) { statement throws(StorageError) in try statement.run() }
    }

    /// Runs a script of several statements. Only for constant SQL (migrations, pragmas): the
    /// statements are not cached and nothing can be bound.
    func execute(script sql: String) throws(StorageError) {
        let connection = try openHandle()
        guard sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK else {
            throw .sqlite(Statement.failure(connection: connection, sql: sql))
        }
    }

    /// Runs a statement that returns one integer, such as `PRAGMA user_version`.
    func integer(_ sql: String) throws(StorageError) -> Int64? {
        try withStatement(sql) { statement throws(StorageError) in
            try statement.step() ? statement.int64(at: 0) : nil
        }
    }

    /// Runs a statement that returns one text value, such as `PRAGMA journal_mode=WAL`.
    func text(_ sql: String) throws(StorageError) -> String? {
        try withStatement(sql) { statement throws(StorageError) in
            try statement.step() ? statement.text(at: 0) : nil
        }
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    var changes: Int {
        handle.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// True when no transaction is open. SQLite rolls a transaction back by itself after some
    /// errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM), which this detects.
    var isAutocommit: Bool {
        handle.map { sqlite3_get_autocommit($0) != 0 } ?? true
    }

    /// Copies the write-ahead log into the database file and truncates the log to zero bytes.
    func checkpointTruncate() throws(StorageError) {
        let connection = try openHandle()
        let code = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
        guard code == SQLITE_OK else {
            throw .sqlite(Statement.failure(connection: connection, sql: nil))
        }
    }

    /// Finalizes the cached statements and closes the connection. Later calls throw `.closed`.
    func close() {
        statements.removeAll()
        guard let connection = handle else {
            return
        }
        handle = nil
        // With every statement finalized above, sqlite3_close_v2 closes at once and returns SQLITE_OK.
        sqlite3_close_v2(connection)
    }

    private func cachedStatement(_ sql: String) throws(StorageError) -> Statement {
        if let statement = statements[sql] {
            return statement
        }
        let statement = try Statement(connection: try openHandle(), sql: sql, persistent: true)
        statements[sql] = statement
        return statement
    }

    private func openHandle() throws(StorageError) -> OpaquePointer {
        guard let handle else {
            throw .closed(path: path)
        }
        return handle
    }
}

extension Connection {
    /// Sets how long this connection retries a locked database before failing with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) throws(StorageError) {
        let connection = try openHandle()
        guard sqlite3_busy_timeout(connection, milliseconds) == SQLITE_OK else {
            throw .sqlite(Statement.failure(connection: connection, sql: nil))
        }
    }
}
