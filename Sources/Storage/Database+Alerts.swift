import Foundation

extension Database {
    /// Inserts alerts in order, in one transaction, until `maxNew` rows were inserted, and
    /// returns one outcome per alert it tried. A result shorter than `alerts` means the alerts
    /// after it were not tried because `maxNew` was reached; such a call is counted in
    /// `writeStatistics.truncatedAlertInserts`. An alert whose id is already stored is a
    /// duplicate, leaves the stored row unchanged and does not count towards `maxNew`.
    public func insertAlerts(_ alerts: [AlertRecord], maxNew: Int = .max) async throws(StorageError) -> [AlertInsertOutcome] {
        guard !alerts.isEmpty, maxNew > 0 else {
            return []
        }
        let outcomes = try await writer.write { connection throws(StorageError) in
            try AlertRepository(connection: connection).insert(alerts, maxNew: maxNew)
        }
        if outcomes.count < alerts.count {
            truncatedAlertInserts.add(1, ordering: .relaxed)
        }
        return outcomes
    }

    /// Returns the ids among `ids` that have a stored alert, all read in one snapshot.
    public func storedAlertIDs(among ids: [String]) async throws(StorageError) -> Set<String> {
        guard !ids.isEmpty else {
            return []
        }
        return try await readers.read { connection throws(StorageError) in
            try connection.transaction(.deferred) { () throws(StorageError) -> Set<String> in
                try AlertRepository(connection: connection).storedIDs(among: ids)
            }
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

    /// Returns the alert with `id` and the other alerts of its host or user whose time is within
    /// `window` of its time, either side, newest first, at most `limit` of them; nil when no
    /// alert has this id. Both are read in one snapshot.
    public func relatedAlerts(to id: String, window: TimeInterval, limit: Int) async throws(StorageError) -> RelatedAlerts? {
        guard AlertQuery.limitRange.contains(limit) else {
            throw .invalidLimit(limit, allowed: AlertQuery.limitRange)
        }
        let windowMilliseconds = Int64(window * 1000)
        return try await readers.read { connection throws(StorageError) in
            try connection.transaction(.deferred) { () throws(StorageError) -> RelatedAlerts? in
                let repository = AlertRepository(connection: connection)
                guard let alert = try repository.alert(id: id) else {
                    return nil
                }
                var records = try repository.related(to: alert, windowMilliseconds: windowMilliseconds, limit: limit)
                let hasMore = records.count > limit
                if hasMore {
                    records.removeLast(records.count - limit)
                }
                return RelatedAlerts(
                    alert: alert, records: records, hasMore: hasMore,
                    sinceMilliseconds: alert.timestampMilliseconds - windowMilliseconds,
                    untilMilliseconds: alert.timestampMilliseconds + windowMilliseconds)
            }
        }
    }

    /// Sets an alert's status and records who changed it from what. Returns the updated alert,
    /// or nil when no alert has this id. Setting the current status again records nothing.
    public func updateAlertStatus(
        id: String, to status: AlertStatus, actor: String, reason: String?, at date: Date
    ) async throws(StorageError) -> AlertRecord? {
        let change = AlertStatusRepository.Change(
            status: status, actor: actor, reason: reason, atMilliseconds: Self.milliseconds(since1970: date))
        return try await writer.write { connection throws(StorageError) in
            try AlertStatusRepository(connection: connection).update(id: id, change)
        }
    }

    /// Sets the status of each listed alert in one transaction, recording each change.
    public func updateAlertStatuses(
        ids: [String], to status: AlertStatus, actor: String, reason: String?, at date: Date
    ) async throws(StorageError) -> BulkStatusResult {
        let change = AlertStatusRepository.Change(
            status: status, actor: actor, reason: reason, atMilliseconds: Self.milliseconds(since1970: date))
        return try await writer.write { connection throws(StorageError) in
            try AlertStatusRepository(connection: connection).update(ids: ids, change)
        }
    }

    /// Sets the status of every alert that matches `filter` in one transaction, recording each
    /// change, and returns how many alerts changed and how many already had the status.
    public func updateAlertStatuses(
        matching filter: AlertFilter, to status: AlertStatus, actor: String, reason: String?, at date: Date
    ) async throws(StorageError) -> FilterStatusResult {
        let change = AlertStatusRepository.Change(
            status: status, actor: actor, reason: reason, atMilliseconds: Self.milliseconds(since1970: date))
        return try await writer.write { connection throws(StorageError) in
            try AlertStatusRepository(connection: connection).update(matching: filter, change)
        }
    }

    /// Status changes of one alert, oldest first; empty when there were none or the alert does not exist.
    public func statusChanges(alertID: String) async throws(StorageError) -> [AlertStatusChange] {
        try await readers.read { connection throws(StorageError) in
            try AlertStatusRepository(connection: connection).changes(alertID: alertID)
        }
    }
}

/// An alert and the alerts of the same host or user around its time.
public struct RelatedAlerts: Sendable, Equatable {
    public var alert: AlertRecord
    /// Newest first, without `alert` itself.
    public var records: [AlertRecord]
    /// True when more related alerts exist than were returned.
    public var hasMore: Bool
    /// The window searched, inclusive, in milliseconds since 1970-01-01 UTC.
    public var sinceMilliseconds: Int64
    public var untilMilliseconds: Int64
}
