import Foundation

/// Builds alerts from events that matched a rule.
public enum AlertBuilder {
    private static let timestampPath = FieldPath("@timestamp")
    private static let categoryPath = FieldPath("event.category")

    /// Builds the alert for `event`, which matched `rule`. `receivedAt` is when detectd
    /// received the event; it is the alert's time when the event has no usable time of its own.
    public static func build(rule: Rule, event: Event, receivedAt: Date) -> Alert {
        let identity = event.identity()
        let received = ECSTimestamp(receivedAt)
        let originalTime = ECSTimestamp(field: timestampPath, of: event)
        let (timestamp, source) = alertTime(rule: rule, event: event, originalTime: originalTime, receivedAt: received)
        let fields = AlertField.summaryPaths.compactMap { AlertField(path: $0, of: event) }

        let registryPath = event.firstString(FieldPath("registry.path"))
        let portProxy = registryPath.flatMap { path in
            PortProxy.parse(registryPath: path, data: event.firstString(FieldPath("registry.data.strings")))
        }

        return Alert(
            id: alertID(ruleID: rule.ruleID, identity: identity),
            ruleID: rule.ruleID,
            ruleName: rule.name,
            ruleVersion: rule.version,
            severity: rule.severity,
            riskScore: rule.riskScore,
            threat: rule.threat,
            timestamp: timestamp,
            timestampSource: source,
            originalTime: originalTime,
            receivedAt: received,
            eventIdentity: identity,
            reason: reason(event: event),
            fields: fields,
            portProxy: portProxy,
            sourceEventJSON: event.sourceJSON())
    }

    /// Returns the lowercase hex SHA-256 of `ruleID`, a NUL byte and the identity's text, so
    /// that the same event matched by the same rule always gets the same alert id.
    public static func alertID(ruleID: String, identity: EventIdentity) -> String {
        var hasher = SHA256()
        hasher.update(ruleID)
        hasher.update([0])
        hasher.update(identity.description)
        return SHA256.hexString(hasher.finalize())
    }

    /// Picks the alert's time as Kibana does: the rule's `timestamp_override` field, else
    /// (unless `timestamp_override_fallback_disabled`) `@timestamp`, else the time the event
    /// arrived. A field whose value is not a valid date counts as missing.
    private static func alertTime(
        rule: Rule, event: Event, originalTime: ECSTimestamp?, receivedAt: ECSTimestamp
    ) -> (ECSTimestamp, Alert.TimestampSource) {
        if let field = rule.timestampOverride.map(FieldPath.init) {
            if let overridden = ECSTimestamp(field: field, of: event) {
                return (overridden, .timestampOverride(field))
            }
            if rule.timestampOverrideFallbackDisabled {
                return (receivedAt, .receivedAt)
            }
        }
        if let originalTime {
            return (originalTime, .eventTimestamp)
        }
        return (receivedAt, .receivedAt)
    }

    /// Returns a sentence such as `registry change to HKLM\...\0.0.0.0/8080 by
    /// C:\Windows\System32\netsh.exe as IEUser on MSEDGEWIN10`, leaving out what the event
    /// lacks.
    static func reason(event: Event) -> String {
        var isRegistry = false
        event.forEachValue(of: categoryPath) { value in
            if case .string(let bytes) = value, bytes.elementsEqual("registry".utf8) {
                isRegistry = true
                return false
            }
            return true
        }

        var sentence = isRegistry ? "registry change" : "event"
        if let path = event.firstString(FieldPath("registry.path")) {
            sentence += " to \(path)"
        }
        if let process = event.firstString(FieldPath("process.executable")) ?? event.firstString(FieldPath("process.name")) {
            sentence += " by \(process)"
        }
        if let user = event.firstString(FieldPath("user.name")) {
            sentence += " as \(user)"
        }
        if let host = event.firstString(FieldPath("host.name")) {
            sentence += " on \(host)"
        }
        return sentence
    }
}
