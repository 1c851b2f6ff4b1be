import CSQLite

/// A failed SQLite call: its extended result code, SQLite's message and the SQL text.
///
/// Bound values are never part of it, because they carry event and user data.
public struct SQLiteFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// Extended result code as listed at https://sqlite.org/rescode.html (2067 is SQLITE_CONSTRAINT_UNIQUE).
    public let extendedResultCode: Int32
    public let message: String
    /// Text of the failed statement, or nil for calls that run none (open, checkpoint, close).
    public let sql: String?

    public init(extendedResultCode: Int32, message: String, sql: String?) {
        self.extendedResultCode = extendedResultCode
        self.message = message
        self.sql = sql
    }

    // sqlite3.h defines the extended codes as expressions over other macros, which Swift does not import.
    /// SQLITE_CONSTRAINT_PRIMARYKEY: a second row with the same PRIMARY KEY.
    static let constraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)
    /// SQLITE_CONSTRAINT_UNIQUE: a second row with the same value in a UNIQUE column.
    static let constraintUnique = SQLITE_CONSTRAINT | (8 << 8)

    /// The primary result code: the low 8 bits of the extended one.
    public var primaryResultCode: Int32 { extendedResultCode & 0xff }

    /// True for SQLITE_BUSY: another connection held the lock past the busy timeout.
    public var isBusy: Bool { primaryResultCode == SQLITE_BUSY }

    /// True for SQLITE_CONSTRAINT: a UNIQUE, PRIMARY KEY, CHECK, NOT NULL or foreign key violation.
    public var isConstraint: Bool { primaryResultCode == SQLITE_CONSTRAINT }

    public var description: String {
        var text = "SQLite error \(extendedResultCode): \(message)"
        if let sql {
            text += " (SQL: \(sql))"
        }
        return text
    }
}
