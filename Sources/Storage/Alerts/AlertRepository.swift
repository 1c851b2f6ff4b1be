/// The SQL for alerts and their status changes, run on whichever connection the caller owns.
struct AlertRepository {
    let connection: Connection

    private static let columns = """
        id, rule_id, status, severity, timestamp_ms, timestamp, original_time, created_at_ms, \
        updated_at_ms, host_name, user_name, registry_path, document, event
        """

    /// Inserts each alert unless a row with its id exists. The conflict is resolved by SQLite
    /// (ON CONFLICT DO NOTHING), so two writers cannot both insert the same id.
    func insert(_ alerts: [AlertRecord]) throws(StorageError) -> [AlertInsertOutcome] {
        let sql = "INSERT INTO alerts (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
        var outcomes: [AlertInsertOutcome] = []
        outcomes.reserveCapacity(alerts.count)
        for alert in alerts {
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
            outcomes.append(connection.changes == 1 ? .inserted : .duplicate)
        }
        return outcomes
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
        var records = try connection.withStatement(sql) { statement throws(StorageError) in
            for (offset, parameter) in parameters.enumerated() {
                try parameter.bind(to: statement, at: Int32(offset + 1))
            }
            var records: [AlertRecord] = []
            while try statement.step() {
                records.append(try Self.record(from: statement))
            }
            return records
        }

        // One row past the limit was requested only to learn whether another page exists.
        var nextCursor: String?
        if records.count > query.limit {
            records.removeLast(records.count - query.limit)
            let last = records[records.count - 1]
            nextCursor = AlertCursor(timestampMilliseconds: last.timestampMilliseconds, id: last.id, ascending: query.ascending).encoded
        }
        return AlertPage(records: records, nextCursor: nextCursor)
    }

    /// Sets the status and records the change. Returns nil when no alert has this id. Setting
    /// the status an alert already has changes nothing and records nothing.
    func updateStatus(id: String, to status: AlertStatus, actor: String, reason: String?, atMilliseconds: Int64) throws(StorageError) -> AlertRecord? {
        guard let current = try alert(id: id) else {
            return nil
        }
        guard current.status != status else {
            return current
        }

        try connection.withStatement("UPDATE alerts SET status = ?, updated_at_ms = ? WHERE id = ?") { statement throws(StorageError) in
            try statement.bind(status.rawValue, at: 1)
            try statement.bind(atMilliseconds, at: 2)
            try statement.bind(id, at: 3)
            try statement.run()
        }
        let insertChange = """
            INSERT INTO alert_status_changes (alert_id, from_status, to_status, actor, reason, at_ms) \
            VALUES (?, ?, ?, ?, ?, ?)
            """
        try connection.withStatement(insertChange) { statement throws(StorageError) in
            try statement.bind(id, at: 1)
            try statement.bind(current.status.rawValue, at: 2)
            try statement.bind(status.rawValue, at: 3)
            try statement.bind(actor, at: 4)
            try statement.bind(reason, at: 5)
            try statement.bind(atMilliseconds, at: 6)
            try statement.run()
        }

        var updated = current
        updated.status = status
        updated.updatedAtMilliseconds = atMilliseconds
        return updated
    }

    /// Status changes of one alert, oldest first.
    func statusChanges(alertID: String) throws(StorageError) -> [AlertStatusChange] {
        let sql = """
            SELECT from_status, to_status, actor, reason, at_ms FROM alert_status_changes \
            WHERE alert_id = ? ORDER BY id
            """
        return try connection.withStatement(sql) { statement throws(StorageError) in
            try statement.bind(alertID, at: 1)
            var changes: [AlertStatusChange] = []
            while try statement.step() {
                changes.append(
                    AlertStatusChange(
                        alertID: alertID,
                        from: try Self.status(statement.text(at: 0), table: "alert_status_changes", column: "from_status"),
                        to: try Self.status(statement.text(at: 1), table: "alert_status_changes", column: "to_status"),
                        actor: statement.text(at: 2),
                        reason: statement.optionalText(at: 3),
                        atMilliseconds: statement.int64(at: 4)))
            }
            return changes
        }
    }

    /// Builds the list SELECT from fixed fragments chosen by which filters are set; every value is
    /// a bound parameter. The few distinct texts this yields are each prepared once per connection.
    private static func listSQL(_ query: AlertQuery, after cursor: AlertCursor?) -> (sql: String, parameters: [SQLParameter]) {
        var conditions: [String] = []
        var parameters: [SQLParameter] = []

        let statuses = AlertStatus.allCases.filter(query.statuses.contains)
        if !statuses.isEmpty && statuses.count < AlertStatus.allCases.count {
            conditions.append("status IN (\(Array(repeating: "?", count: statuses.count).joined(separator: ", ")))")
            parameters += statuses.map { .text($0.rawValue) }
        }
        if let hostName = query.hostName {
            conditions.append("host_name = ?")
            parameters.append(.text(hostName))
        }
        if let userName = query.userName {
            conditions.append("user_name = ?")
            parameters.append(.text(userName))
        }
        if let since = query.sinceMilliseconds {
            conditions.append("timestamp_ms >= ?")
            parameters.append(.integer(since))
        }
        if let until = query.untilMilliseconds {
            conditions.append("timestamp_ms <= ?")
            parameters.append(.integer(until))
        }
        if let cursor {
            conditions.append(query.ascending ? "(timestamp_ms, id) > (?, ?)" : "(timestamp_ms, id) < (?, ?)")
            parameters.append(.integer(cursor.timestampMilliseconds))
            parameters.append(.text(cursor.id))
        }

        var sql = "SELECT \(columns) FROM alerts"
        if !conditions.isEmpty {
            sql += " WHERE " + conditions.joined(separator: " AND ")
        }
        sql += query.ascending ? " ORDER BY timestamp_ms ASC, id ASC" : " ORDER BY timestamp_ms DESC, id DESC"
        sql += " LIMIT ?"
        parameters.append(.integer(Int64(query.limit) + 1))
        return (sql, parameters)
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

    private static func status(_ text: String, table: String, column: String) throws(StorageError) -> AlertStatus {
        guard let status = AlertStatus(rawValue: text) else {
            throw .invalidStoredValue(table: table, column: column, value: text)
        }
        return status
    }
}
