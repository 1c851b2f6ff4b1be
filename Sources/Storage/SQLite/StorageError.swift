/// Every error the Storage module throws.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite returned an error code.
    case sqlite(SQLiteFailure)

    /// The file's `PRAGMA user_version` is newer than the newest migration this build has.
    /// The file was opened read-only for the check and left unchanged.
    case schemaTooNew(path: String, userVersion: Int32, supportedVersion: Int32)

    /// The folder that should contain the database file could not be created.
    case directoryCreationFailed(path: String, reason: String)

    /// A `DatabaseConfiguration` field is out of range.
    case invalidConfiguration(field: String, value: String, reason: String)

    /// A list cursor (of alerts, exception items or audit entries) that this module did not issue
    /// for that list, or issued for another sort order.
    case invalidCursor(cursor: String, reason: String)

    /// An alert list limit outside `AlertQuery.limitRange`.
    case invalidLimit(Int, allowed: ClosedRange<Int>)

    /// Another exception item already has this `id`.
    case duplicateExceptionID(String)

    /// Another exception item already has this `item_id`.
    case duplicateExceptionItemID(String)

    /// A stored column contains a value this build cannot decode, such as an unknown alert status.
    case invalidStoredValue(table: String, column: String, value: String)

    /// The database was closed before or while the call ran.
    case closed(path: String)

    public var description: String {
        switch self {
        case .sqlite(let failure):
            return failure.description
        case .schemaTooNew(let path, let userVersion, let supportedVersion):
            return "database \(path) has schema version \(userVersion), but this build supports versions up to \(supportedVersion); "
                + "use a newer detectd or another database file"
        case .directoryCreationFailed(let path, let reason):
            return "failed to create the database folder \(path): \(reason)"
        case .invalidConfiguration(let field, let value, let reason):
            return "invalid database configuration \(field)=\(value): \(reason)"
        case .invalidCursor(let cursor, let reason):
            return "invalid cursor \"\(Self.prefix(of: cursor))\": \(reason); start again without a cursor"
        case .invalidLimit(let limit, let allowed):
            return "invalid limit \(limit): expected \(allowed.lowerBound) to \(allowed.upperBound)"
        case .duplicateExceptionID(let id):
            return "an exception item with id \(id) already exists"
        case .duplicateExceptionItemID(let itemID):
            return "an exception item with item_id \(itemID) already exists"
        case .invalidStoredValue(let table, let column, let value):
            return "invalid value \"\(Self.prefix(of: value))\" in \(table).\(column)"
        case .closed(let path):
            return "database \(path) is closed"
        }
    }

    /// Cuts echoed input to a short prefix so that a huge value cannot flood a log line or response.
    static func prefix(of value: String, maximumLength: Int = 64) -> String {
        value.count <= maximumLength ? value : String(value.prefix(maximumLength)) + "…"
    }
}
