/// An alert's workflow status, as Kibana names it.
public enum AlertStatus: String, Sendable, CaseIterable {
    case open, acknowledged, closed
}

/// One row of the `alerts` table. `document` (the alert) and `event` (the original event) are
/// JSON text, stored as given. The other fields are columns that the list filters and sorts on
/// or that a status change updates.
public struct AlertRecord: Sendable, Equatable {
    /// Deterministic alert id, so the same event posted twice maps to the same row.
    public var id: String
    public var ruleID: String
    public var status: AlertStatus
    public var severity: String
    /// The alert's rule time in milliseconds since 1970-01-01 UTC; the list is ordered by it.
    public var timestampMilliseconds: Int64
    /// The same time as ISO 8601 text, as it appears in the alert document.
    public var timestamp: String
    /// The event's own `@timestamp`, when it had one.
    public var originalTime: String?
    public var createdAtMilliseconds: Int64
    public var updatedAtMilliseconds: Int64
    public var hostName: String?
    public var userName: String?
    public var registryPath: String?
    public var document: String
    public var event: String

    public init(
        id: String,
        ruleID: String,
        status: AlertStatus,
        severity: String,
        timestampMilliseconds: Int64,
        timestamp: String,
        originalTime: String?,
        createdAtMilliseconds: Int64,
        updatedAtMilliseconds: Int64,
        hostName: String?,
        userName: String?,
        registryPath: String?,
        document: String,
        event: String
    ) {
        self.id = id
        self.ruleID = ruleID
        self.status = status
        self.severity = severity
        self.timestampMilliseconds = timestampMilliseconds
        self.timestamp = timestamp
        self.originalTime = originalTime
        self.createdAtMilliseconds = createdAtMilliseconds
        self.updatedAtMilliseconds = updatedAtMilliseconds
        self.hostName = hostName
        self.userName = userName
        self.registryPath = registryPath
        self.document = document
        self.event = event
    }
}

/// The result of inserting one alert.
public enum AlertInsertOutcome: Sendable, Equatable {
    case inserted
    /// A row with the same id already existed (or came earlier in the same call) and was kept unchanged.
    case duplicate
}

/// One row of `alert_status_changes`: who moved an alert from one status to another, and when.
public struct AlertStatusChange: Sendable, Equatable {
    public var alertID: String
    public var from: AlertStatus
    public var to: AlertStatus
    public var actor: String
    public var reason: String?
    /// Milliseconds since 1970-01-01 UTC.
    public var atMilliseconds: Int64

    public init(alertID: String, from: AlertStatus, to: AlertStatus, actor: String, reason: String?, atMilliseconds: Int64) {
        self.alertID = alertID
        self.from = from
        self.to = to
        self.actor = actor
        self.reason = reason
        self.atMilliseconds = atMilliseconds
    }
}
