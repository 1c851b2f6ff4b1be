/// The SQL that changes alert workflow statuses and records each change in
/// `alert_status_changes`, run on whichever connection the caller owns.
struct AlertStatusRepository {
    let connection: Connection

    /// Who makes a change, when and why; the same for every alert a call changes.
    struct Change {
        let status: AlertStatus
        let actor: String
        let reason: String?
        let atMilliseconds: Int64
    }

    /// Sets the status and records the change. Returns nil when no alert has this id. Setting
    /// the status an alert already has changes nothing and records nothing.
    func update(id: String, _ change: Change) throws(StorageError) -> AlertRecord? {
        guard let current = try AlertRepository(connection: connection).alert(id: id) else {
            return nil
        }
        guard current.status != change.status else {
            return current
        }

        try connection.withStatement("UPDATE alerts SET status = ?, updated_at_ms = ? WHERE id = ?") { statement throws(StorageError) in
            try statement.bind(change.status.rawValue, at: 1)
            try statement.bind(change.atMilliseconds, at: 2)
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
            try statement.bind(change.status.rawValue, at: 3)
            try statement.bind(change.actor, at: 4)
            try statement.bind(change.reason, at: 5)
            try statement.bind(change.atMilliseconds, at: 6)
            try statement.run()
        }

        var updated = current
        updated.status = change.status
        updated.updatedAtMilliseconds = change.atMilliseconds
        return updated
    }

    /// Changes each listed alert, in order; an id listed twice is changed once.
    func update(ids: [String], _ change: Change) throws(StorageError) -> BulkStatusResult {
        var result = BulkStatusResult()
        var seen: Set<String> = []
        for id in ids where seen.insert(id).inserted {
            guard let before = try AlertRepository(connection: connection).alert(id: id) else {
                result.notFound.append(id)
                continue
            }
            if before.status == change.status {
                result.unchanged += 1
            } else {
                _ = try update(id: id, change)
                result.updated.append(id)
            }
        }
        return result
    }

    /// Changes every alert that matches `filter` and does not have the status yet, with
    /// set-based statements, and counts the matching alerts that already had it.
    func update(matching filter: AlertFilter, _ change: Change) throws(StorageError) -> FilterStatusResult {
        var (conditions, filterParameters) = filter.conditions()
        let unchanged = try count(
            "SELECT count(*) FROM alerts" + AlertRepository.whereClause(conditions + ["status = ?"]),
            filterParameters + [.text(change.status.rawValue)])

        conditions.append("status != ?")
        filterParameters.append(.text(change.status.rawValue))
        let whereClause = AlertRepository.whereClause(conditions)

        let insertChanges = """
            INSERT INTO alert_status_changes (alert_id, from_status, to_status, actor, reason, at_ms) \
            SELECT id, status, ?, ?, ?, ? FROM alerts\(whereClause)
            """
        var reason: SQLParameter = .null
        if let text = change.reason {
            reason = .text(text)
        }
        let changeParameters: [SQLParameter] = [
            .text(change.status.rawValue), .text(change.actor), reason, .integer(change.atMilliseconds),
        ]
        try run(insertChanges, changeParameters + filterParameters)

        let updateAlerts = "UPDATE alerts SET status = ?, updated_at_ms = ?\(whereClause)"
        try run(updateAlerts, [.text(change.status.rawValue), .integer(change.atMilliseconds)] + filterParameters)
        return FilterStatusResult(updated: connection.changes, unchanged: unchanged)
    }

    /// Status changes of one alert, oldest first.
    func changes(alertID: String) throws(StorageError) -> [AlertStatusChange] {
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
                        from: try AlertRepository.status(statement.text(at: 0), table: "alert_status_changes", column: "from_status"),
                        to: try AlertRepository.status(statement.text(at: 1), table: "alert_status_changes", column: "to_status"),
                        actor: statement.text(at: 2),
                        reason: statement.optionalText(at: 3),
                        atMilliseconds: statement.int64(at: 4)))
            }
            return changes
        }
    }

    private func count(_ sql: String, _ parameters: [SQLParameter]) throws(StorageError) -> Int {
        try connection.withStatement(sql) { statement throws(StorageError) in
            for (offset, parameter) in parameters.enumerated() {
                try parameter.bind(to: statement, at: Int32(offset + 1))
            }
            _ = try statement.step()
            return Int(statement.int64(at: 0))
        }
    }

    private func run(_ sql: String, _ parameters: [SQLParameter]) throws(StorageError) {
        try connection.withStatement(sql) { statement throws(StorageError) in
            for (offset, parameter) in parameters.enumerated() {
                try parameter.bind(to: statement, at: Int32(offset + 1))
            }
            try statement.run()
        }
    }
}

/// What a status change by id list did.
public struct BulkStatusResult: Sendable, Equatable {
    /// Alerts whose status changed, in request order.
    public var updated: [String] = []
    /// Alerts that already had the status.
    public var unchanged = 0
    /// Requested ids that no alert has.
    public var notFound: [String] = []

    public init() {}
}

/// The outcome of a status change by filter.
public struct FilterStatusResult: Sendable, Equatable {
    /// Matching alerts whose status changed.
    public var updated: Int
    /// Matching alerts that already had the status.
    public var unchanged: Int

    public init(updated: Int, unchanged: Int) {
        self.updated = updated
        self.unchanged = unchanged
    }
}
