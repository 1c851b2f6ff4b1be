/// The SQL for exception items, run on whichever connection the caller owns.
struct ExceptionRepository {
    let connection: Connection

    private static let columns = "id, item_id, document, created_at_ms, updated_at_ms"

    /// Exception items in the order they were created.
    func all() throws(StorageError) -> [ExceptionRecord] {
        try connection.withStatement("SELECT \(Self.columns) FROM exceptions ORDER BY created_at_ms, id") { statement throws(StorageError) in
            var records: [ExceptionRecord] = []
            while try statement.step() {
                records.append(Self.record(from: statement))
            }
            return records
        }
    }

    /// Reads the page of items after `query.cursor`, in the order they were created.
    func page(_ query: ExceptionQuery) throws(StorageError) -> ExceptionPage {
        guard ExceptionQuery.limitRange.contains(query.limit) else {
            throw .invalidLimit(query.limit, allowed: ExceptionQuery.limitRange)
        }
        var sql = "SELECT \(Self.columns) FROM exceptions"
        var parameters: [SQLParameter] = []
        if let cursor = query.cursor {
            let position = try ExceptionCursor(decoding: cursor)
            sql += " WHERE (created_at_ms, id) > (?, ?)"
            parameters.append(.integer(position.createdAtMilliseconds))
            parameters.append(.text(position.id))
        }
        sql += " ORDER BY created_at_ms, id LIMIT ?"
        // One row past the limit is read only to learn whether another page exists.
        parameters.append(.integer(Int64(query.limit) + 1))

        var records = try connection.withStatement(sql) { statement throws(StorageError) in
            for (offset, parameter) in parameters.enumerated() {
                try parameter.bind(to: statement, at: Int32(offset + 1))
            }
            var records: [ExceptionRecord] = []
            while try statement.step() {
                records.append(Self.record(from: statement))
            }
            return records
        }

        var nextCursor: String?
        if records.count > query.limit {
            records.removeLast(records.count - query.limit)
            let last = records[records.count - 1]
            nextCursor = ExceptionCursor(createdAtMilliseconds: last.createdAtMilliseconds, id: last.id).encoded
        }
        return ExceptionPage(records: records, nextCursor: nextCursor, total: try count())
    }

    func count() throws(StorageError) -> Int {
        try connection.withStatement("SELECT count(*) FROM exceptions") { statement throws(StorageError) in
            try statement.step() ? Int(statement.int64(at: 0)) : 0
        }
    }

    func exception(id: String) throws(StorageError) -> ExceptionRecord? {
        try connection.withStatement("SELECT \(Self.columns) FROM exceptions WHERE id = ?") { statement throws(StorageError) in
            try statement.bind(id, at: 1)
            return try statement.step() ? Self.record(from: statement) : nil
        }
    }

    /// Returns the item whose `id` is `key`, else the one whose `item_id` is `key`. Both columns
    /// are unique, so at most two rows match and the `id` match wins.
    func exception(idOrItemID key: String) throws(StorageError) -> ExceptionRecord? {
        let sql = "SELECT \(Self.columns) FROM exceptions WHERE id = ?1 OR item_id = ?1 ORDER BY id = ?1 DESC LIMIT 1"
        return try connection.withStatement(sql) { statement throws(StorageError) in
            try statement.bind(key, at: 1)
            return try statement.step() ? Self.record(from: statement) : nil
        }
    }

    func insert(_ record: ExceptionRecord) throws(StorageError) {
        let sql = "INSERT INTO exceptions (\(Self.columns)) VALUES (?, ?, ?, ?, ?)"
        do {
            try connection.withStatement(sql) { statement throws(StorageError) in
                try statement.bind(record.id, at: 1)
                try statement.bind(record.itemID, at: 2)
                try statement.bind(record.document, at: 3)
                try statement.bind(record.createdAtMilliseconds, at: 4)
                try statement.bind(record.updatedAtMilliseconds, at: 5)
                try statement.run()
            }
        } catch {
            throw Self.conflict(from: error, record: record)
        }
    }

    /// Replaces the item's `item_id`, document and update time, keeping its creation time.
    /// Returns false when no item has this id.
    func replace(_ record: ExceptionRecord) throws(StorageError) -> Bool {
        let sql = "UPDATE exceptions SET item_id = ?, document = ?, updated_at_ms = ? WHERE id = ?"
        do {
            try connection.withStatement(sql) { statement throws(StorageError) in
                try statement.bind(record.itemID, at: 1)
                try statement.bind(record.document, at: 2)
                try statement.bind(record.updatedAtMilliseconds, at: 3)
                try statement.bind(record.id, at: 4)
                try statement.run()
            }
        } catch {
            throw Self.conflict(from: error, record: record)
        }
        return connection.changes == 1
    }

    /// Returns false when no item has this id.
    func delete(id: String) throws(StorageError) -> Bool {
        try connection.withStatement("DELETE FROM exceptions WHERE id = ?") { statement throws(StorageError) in
            try statement.bind(id, at: 1)
            try statement.run()
        }
        return connection.changes == 1
    }

    /// Names which key collided: SQLite reports the primary key (`id`) and the UNIQUE `item_id`
    /// with different extended result codes.
    private static func conflict(from error: StorageError, record: ExceptionRecord) -> StorageError {
        guard case .sqlite(let failure) = error else {
            return error
        }
        switch failure.extendedResultCode {
        case SQLiteFailure.constraintPrimaryKey: return .duplicateExceptionID(record.id)
        case SQLiteFailure.constraintUnique: return .duplicateExceptionItemID(record.itemID)
        default: return error
        }
    }

    private static func record(from statement: Statement) -> ExceptionRecord {
        ExceptionRecord(
            id: statement.text(at: 0),
            itemID: statement.text(at: 1),
            document: statement.text(at: 2),
            createdAtMilliseconds: statement.int64(at: 3),
            updatedAtMilliseconds: statement.int64(at: 4))
    }
}
