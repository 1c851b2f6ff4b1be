/// An alert: one event that matched a rule, with the rule's metadata and the event's key
/// fields copied out, ready to be stored and returned by the API.
public struct Alert: Sendable {
    /// The source of the alert's `timestamp`.
    public enum TimestampSource: Sendable, Equatable, CustomStringConvertible {
        /// The event field the rule names in `timestamp_override`, such as `event.ingested`.
        case timestampOverride(FieldPath)
        /// The event's `@timestamp`.
        case eventTimestamp
        /// The time detectd received the event.
        case receivedAt

        /// The field name, such as `event.ingested`, `@timestamp` or `received_at`.
        public var description: String {
            switch self {
            case .timestampOverride(let path): path.name
            case .eventTimestamp: "@timestamp"
            case .receivedAt: "received_at"
            }
        }
    }

    /// The lowercase hex SHA-256 of the rule id, a NUL byte and the event identity.
    public let id: String
    public let ruleID: String
    public let ruleName: String
    public let ruleVersion: Int
    public let severity: String
    public let riskScore: Int
    public let threat: [RuleThreat]
    /// The alert's time: the rule's `timestamp_override` field (`event.ingested`), else
    /// `@timestamp`, else `receivedAt`.
    public let timestamp: ECSTimestamp
    public let timestampSource: TimestampSource
    /// The event's `@timestamp`, when it has a valid one.
    public let originalTime: ECSTimestamp?
    public let receivedAt: ECSTimestamp
    public let eventIdentity: EventIdentity
    /// A sentence that names the change, the process, the user and the host.
    public let reason: String
    /// The summary fields the event has, in the order of `AlertField.summaryPaths`.
    public let fields: [AlertField]
    /// The port proxy entry named by `registry.path`, when the path is under a PortProxy key.
    public let portProxy: PortProxy?
    /// The event as minified JSON (a search hit's `_source`).
    public let sourceEventJSON: String

    /// `timestamp` as RFC 3339 text in UTC, such as `2019-07-29T21:33:59.803Z`.
    public var timestampText: String { timestamp.iso8601 }
    public var hostName: String? { firstText("host.name") }
    public var userName: String? { firstText("user.name") }
    public var registryPath: String? { firstText("registry.path") }

    /// Returns the first value of a summary field as text.
    public func firstText(_ name: String) -> String? {
        fields.first { $0.path.name == name }?.firstValue.text
    }
}
