import CSQLite

/// SQLite's marker for "copy the bound bytes now", which `sqlite3.h` defines as a cast the
/// importer cannot bring into Swift.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement. It is finalized when the last reference goes away.
///
/// Parameter and column indexes follow SQLite: parameters count from 1, columns from 0.
final class Statement {
    let sql: String
    private let handle: OpaquePointer

    init(connection: OpaquePointer, sql: String, persistent: Bool) throws(StorageError) {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(connection, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw .sqlite(Self.failure(connection: connection, sql: sql))
        }
        self.sql = sql
        self.handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ value: String?, at index: Int32) throws(StorageError) {
        guard let value else {
            try check(sqlite3_bind_null(handle, index))
            return
        }
        var utf8 = value
        let code = utf8.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                sqlite3_bind_text64(
                    handle, index, characters.baseAddress, sqlite3_uint64(characters.count),
                    transientDestructor, UInt8(SQLITE_UTF8))
            }
        }
        try check(code)
    }

    func bind(_ value: Int64?, at index: Int32) throws(StorageError) {
        guard let value else {
            try check(sqlite3_bind_null(handle, index))
            return
        }
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Steps once: true when a row is ready to read, false when the statement is done.
    func step() throws(StorageError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            throw .sqlite(Self.failure(connection: sqlite3_db_handle(handle), sql: sql))
        }
    }

    /// Steps to the end, for statements that return no rows.
    func run() throws(StorageError) {
        while try step() {}
    }

    /// Resets the statement and clears its bindings so that it can be reused.
    /// A reset also ends the read transaction an unfinished SELECT holds.
    func reset() {
        // sqlite3_reset repeats the code of the last failed step, which step() has already thrown.
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func int64(at column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    func optionalText(at column: Int32) -> String? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else {
            return nil
        }
        return text(at: column)
    }

    /// Reads a column as UTF-8 text; NULL reads as the empty string.
    func text(at column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else {
            return ""
        }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    private func check(_ code: Int32) throws(StorageError) {
        guard code == SQLITE_OK else {
            throw .sqlite(Self.failure(connection: sqlite3_db_handle(handle), sql: sql))
        }
    }

    static func failure(connection: OpaquePointer?, sql: String?) -> SQLiteFailure {
        guard let connection else {
            return SQLiteFailure(extendedResultCode: SQLITE_MISUSE, message: "no connection", sql: sql)
        }
        return SQLiteFailure(
            extendedResultCode: sqlite3_extended_errcode(connection),
            message: String(cString: sqlite3_errmsg(connection)),
            sql: sql)
    }
}
