/// The SQL that inserts and reads alerts, run on whichever connection the caller owns.
struct AlertRepository {
    let connection: Connection

    static let columns = """
        id, rule_id, status, severity, timestamp_ms, timestamp, original_time, created_at_ms, \
        updated_at_ms, host_name, user_name, registry_path, document, event
        """

    /// Inserts alerts in order unless a row with the id exists, and stops once `maxNew` rows
    /// were inserted. Returns one outcome per alert it tried, so a result shorter than `alerts`
    /// means the rest were not tried. The conflict is resolved by SQLite (ON CONFLICT DO
    /// NOTHING), so two writers cannot both insert the same id.
    func insert(_ alerts: [AlertRecord], maxNew: Int = .max) throws(StorageError) -> [AlertInsertOutcome] {
        let sql = "INSERT INTO alerts (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
        var outcomes: [AlertInsertOutcome] = []
        outcomes.reserveCapacity(alerts.count)
        var inserted = 0
        for alert in alerts {
            guard inserted < maxNew else {
                break
            }
            try connection.withStatement(sql) { statement throws(StorageError) in
                try statement.bind(alert.id, at: 1)
                try statement.bind(alert.ruleID, at: 2)
                try statement.bind(alert.status.rawValue, at: 3)
                try statement.bind(alert.severity, at: 4)
                try statement.bind(alert.timestampMilliseconds, at: 5)
                try statement.bind(alert.timestamp, at: 6)
                try statement.bind(alert.originalTime, at: 7)
                try statement.bind(alert.createdAtMilliseconds, at: 8)
                try statement.bind(alert.updatedAtMilliseconds, at: 9)
                try statement.bind(alert.hostName, at: 10)
                try statement.bind(alert.userName, at: 11)
                try statement.bind(alert.registryPath, at: 12)
                try statement.bind(alert.document, at: 13)
                try statement.bind(alert.event, at: 14)
                try statement.run()
            }
            if connection.changes == 1 {
                inserted += 1
                outcomes.append(.inserted)
            } else {
                outcomes.append(.duplicate)
            }
        }
        return outcomes
    }

    /// Returns the ids among `ids` that have a stored alert, looking each up by the primary key.
    func storedIDs(among ids: [String]) throws(StorageError) -> Set<String> {
        try connection.withStatement("SELECT 1 FROM alerts WHERE id = ?") { statement throws(StorageError) in
            var stored: Set<String> = []
            for id in ids {
                statement.reset()
                try statement.bind(id, at: 1)
                if try statement.step() {
                    stored.insert(id)
                }
            }
            statement.reset()
            return stored
        }
    }

    func alert(id: String) throws(StorageError) -> AlertRecord? {
        try connection.withStatement("SELECT \(Self.columns) FROM alerts WHERE id = ?") { statement throws(StorageError) in
            try statement.bind(id, at: 1)
            return try statement.step() ? try Self.record(from: statement) : nil
        }
    }

    func page(_ query: AlertQuery) throws(StorageError) -> AlertPage {
        guard AlertQuery.limitRange.contains(query.limit) else {
            throw .invalidLimit(query.limit, allowed: AlertQuery.limitRange)
        }
        let cursor = try query.cursor.map { cursor throws(StorageError) in
            try AlertCursor(decoding: cursor, ascending: query.ascending)
        }

        let (sql, parameters) = Self.listSQL(query, after: cursor)
        var records = try rows(sql, parameters)

        var nextCursor: String?
        if records.count > query.limit {
            records.removeLast(records.count - query.limit)
            nextCursor = AlertQuery.cursor(after: records[records.count - 1], ascending: query.ascending)
        }
        let total = query.includeTotal ? try count(query.filter) : nil
        return AlertPage(records: records, nextCursor: nextCursor, total: total)
    }

    /// Builds the list SELECT from constant fragments chosen by which filters are set, with
    /// every value a bound parameter. The few distinct texts this yields are each prepared once per connection.
    static func listSQL(_ query: AlertQuery, after cursor: AlertCursor?) -> (sql: String, parameters: [SQLParameter]) {
        var (conditions, parameters) = query.filter.conditions()
        if let cursor {
            conditions.append(query.ascending ? "(timestamp_ms, id) > (?, ?)" : "(timestamp_ms, id) < (?, ?)")
            parameters.append(.integer(cursor.timestampMilliseconds))
            parameters.append(.text(cursor.id))
        }
        var sql = "SELECT \(columns) FROM alerts" + whereClause(conditions)
        sql += query.ascending ? " ORDER BY timestamp_ms ASC, id ASC" : " ORDER BY timestamp_ms DESC, id DESC"
        sql += " LIMIT ?"
        // One row past the limit is read only to learn whether another page exists.
        parameters.append(.integer(Int64(query.limit) + 1))
        return (sql, parameters)
    }

    /// Counts the alerts that match `filter`.
    func count(_ filter: AlertFilter) throws(StorageError) -> Int {
        let (conditions, parameters) = filter.conditions()
        let sql = "SELECT count(*) FROM alerts" + Self.whereClause(conditions)
        return try connection.withStatement(sql) { statement throws(StorageError) in
            for (offset, parameter) in parameters.enumerated() {
                try parameter.bind(to: statement, at: Int32(offset + 1))
            }
            return try statement.step() ? Int(statement.int64(at: 0)) : 0
        }
    }

    /// Returns the other alerts of the same host or user whose time is within
    /// `windowMilliseconds` of `alert`'s time, either side, newest first. Reads `limit + 1` rows so the caller can tell
    /// whether more exist.
    func related(to alert: AlertRecord, windowMilliseconds: Int64, limit: Int) throws(StorageError) -> [AlertRecord] {
        var owners: [String] = []
        var parameters: [SQLParameter] = []
        if let hostName = alert.hostName {
            owners.append("host_name = ?")
            parameters.append(.text(hostName))
        }
        if let userName = alert.userName {
            owners.append("user_name = ?")
            parameters.append(.text(userName))
        }
        guard !owners.isEmpty else {
            return []
        }
        let sql = """
            SELECT \(Self.columns) FROM alerts \
            WHERE (\(owners.joined(separator: " OR "))) AND timestamp_ms BETWEEN ? AND ? AND id != ? \
            ORDER BY timestamp_ms DESC, id DESC LIMIT ?
            """
        parameters.append(.integer(alert.timestampMilliseconds - windowMilliseconds))
        parameters.append(.integer(alert.timestampMilliseconds + windowMilliseconds))
        parameters.append(.text(alert.id))
        parameters.append(.integer(Int64(limit) + 1))
        return try rows(sql, parameters)
    }

    private func rows(_ sql: String, _ parameters: [SQLParameter]) throws(StorageError) -> [AlertRecord] {
        try connection.withStatement(sql) { statement throws(StorageError) in
            for (offset, parameter) in parameters.enumerated() {
                try parameter.bind(to: statement, at: Int32(offset + 1))
            }
            var records: [AlertRecord] = []
            while try statement.step() {
                records.append(try Self.record(from: statement))
            }
            return records
        }
    }

    static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    }

    private static func record(from statement: Statement) throws(StorageError) -> AlertRecord {
        AlertRecord(
            id: statement.text(at: 0),
            ruleID: statement.text(at: 1),
            status: try status(statement.text(at: 2), table: "alerts", column: "status"),
            severity: statement.text(at: 3),
            timestampMilliseconds: statement.int64(at: 4),
            timestamp: statement.text(at: 5),
            originalTime: statement.optionalText(at: 6),
            createdAtMilliseconds: statement.int64(at: 7),
            updatedAtMilliseconds: statement.int64(at: 8),
            hostName: statement.optionalText(at: 9),
            userName: statement.optionalText(at: 10),
            registryPath: statement.optionalText(at: 11),
            document: statement.text(at: 12),
            event: statement.text(at: 13))
    }

    static func status(_ text: String, table: String, column: String) throws(StorageError) -> AlertStatus {
        guard let status = AlertStatus(rawValue: text) else {
            throw .invalidStoredValue(table: table, column: column, value: text)
        }
        return status
    }
}
