/// The SQL for `audit_log`, run on whichever connection the caller owns.
struct AuditRepository {
    let connection: Connection

    private static let columns = "id, at_ms, actor, action, object_type, object_id, before, after"

    func append(
        _ action: AuditEntry.Action, objectType: String, objectID: String, before: String?, after: String?,
        context: AuditContext
    ) throws(StorageError) {
        let sql = "INSERT INTO audit_log (at_ms, actor, action, object_type, object_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)"
        try connection.withStatement(sql) { statement throws(StorageError) in
            try statement.bind(context.atMilliseconds, at: 1)
            try statement.bind(context.actor, at: 2)
            try statement.bind(action.rawValue, at: 3)
            try statement.bind(objectType, at: 4)
            try statement.bind(objectID, at: 5)
            try statement.bind(before, at: 6)
            try statement.bind(after, at: 7)
            try statement.run()
        }
    }

    func page(_ query: AuditQuery) throws(StorageError) -> AuditPage {
        guard AuditQuery.limitRange.contains(query.limit) else {
            throw .invalidLimit(query.limit, allowed: AuditQuery.limitRange)
        }
        var conditions: [String] = []
        var parameters: [SQLParameter] = []
        if let cursor = query.cursor {
            conditions.append("id < ?")
            parameters.append(.integer(try Self.decodeCursor(cursor)))
        }
        if let objectID = query.objectID {
            conditions.append("object_id = ?")
            parameters.append(.text(objectID))
        }
        if let action = query.action {
            conditions.append("action = ?")
            parameters.append(.text(action.rawValue))
        }
        let sql = "SELECT \(Self.columns) FROM audit_log" + AlertRepository.whereClause(conditions) + " ORDER BY id DESC LIMIT ?"
        parameters.append(.integer(Int64(query.limit) + 1))

        var entries = try connection.withStatement(sql) { statement throws(StorageError) in
            for (offset, parameter) in parameters.enumerated() {
                try parameter.bind(to: statement, at: Int32(offset + 1))
            }
            var entries: [AuditEntry] = []
            while try statement.step() {
                entries.append(try Self.entry(from: statement))
            }
            return entries
        }
        var nextCursor: String?
        if entries.count > query.limit {
            entries.removeLast(entries.count - query.limit)
            nextCursor = Base64URL.encode("audit:\(entries[entries.count - 1].id)")
        }
        return AuditPage(entries: entries, nextCursor: nextCursor)
    }

    private static func decodeCursor(_ cursor: String) throws(StorageError) -> Int64 {
        guard let text = Base64URL.decode(cursor), text.hasPrefix("audit:"), let id = Int64(text.dropFirst(6)), id > 0 else {
            throw .invalidCursor(cursor: cursor, reason: "it is not a cursor of the audit log")
        }
        return id
    }

    private static func entry(from statement: Statement) throws(StorageError) -> AuditEntry {
        let actionText = statement.text(at: 3)
        guard let action = AuditEntry.Action(rawValue: actionText) else {
            throw .invalidStoredValue(table: "audit_log", column: "action", value: actionText)
        }
        return AuditEntry(
            id: statement.int64(at: 0),
            atMilliseconds: statement.int64(at: 1),
            actor: statement.text(at: 2),
            action: action,
            objectType: statement.text(at: 4),
            objectID: statement.text(at: 5),
            before: statement.optionalText(at: 6),
            after: statement.optionalText(at: 7))
    }
}
