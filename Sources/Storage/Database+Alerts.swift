import Foundation

extension Database {
    /// Inserts the alerts in one transaction and returns one outcome per alert, in the same order.
    /// An alert whose id is already stored is a duplicate and leaves the stored row unchanged.
    public func insertAlerts(_ alerts: [AlertRecord]) async throws(StorageError) -> [AlertInsertOutcome] {
        guard !alerts.isEmpty else {
            return []
        }
        return try await writer.write { connection throws(StorageError) in
            try AlertRepository(connection: connection).insert(alerts)
        }
    }

    public func alert(id: String) async throws(StorageError) -> AlertRecord? {
        try await readers.read { connection throws(StorageError) in
            try AlertRepository(connection: connection).alert(id: id)
        }
    }

    /// Returns one page of alerts ordered by time and then id, newest first unless `query.ascending`.
    /// Throws `.invalidCursor` and `.invalidLimit` for input that the caller should reject with 400.
    public func alerts(_ query: AlertQuery) async throws(StorageError) -> AlertPage {
        try await readers.read { connection throws(StorageError) in
            try AlertRepository(connection: connection).page(query)
        }
    }

    /// Sets an alert's status and records who changed it from what. Returns the updated alert,
    /// or nil when no alert has this id. Setting the current status again records nothing.
    public func updateAlertStatus(
        id: String, to status: AlertStatus, actor: String, reason: String?, at date: Date
    ) async throws(StorageError) -> AlertRecord? {
        let atMilliseconds = Self.milliseconds(since1970: date)
        return try await writer.write { connection throws(StorageError) in
            try AlertRepository(connection: connection)
                .updateStatus(id: id, to: status, actor: actor, reason: reason, atMilliseconds: atMilliseconds)
        }
    }

    /// Status changes of one alert, oldest first; empty when there were none or the alert does not exist.
    public func statusChanges(alertID: String) async throws(StorageError) -> [AlertStatusChange] {
        try await readers.read { connection throws(StorageError) in
            try AlertRepository(connection: connection).statusChanges(alertID: alertID)
        }
    }
}
