import Foundation

/// Builds alerts from events that matched a rule.
public enum AlertBuilder {
    /// Builds the alert for `event`, which matched `rule`. `receivedAt` is when detectd
    /// received the event; it is the alert's time when the event has no usable time of its own.
    public static func build(rule: Rule, event: Event, receivedAt: Date) -> Alert {
        build(rule: rule, event: event, fields: AlertEventFields(event, into: CollectedFields()), receivedAt: receivedAt)
    }

    /// Builds the alert like `build(rule:event:receivedAt:)` from the fields already collected
    /// from `event`.
    static func build(rule: Rule, event: Event, fields: AlertEventFields, receivedAt: Date) -> Alert {
        let identity = event.identity(eventID: fields.firstString(inSlot: AlertEventFields.eventIDSlot))
        let received = ECSTimestamp(receivedAt)
        let originalTime = fields.eventTimestamp
        let (timestamp, source) = alertTime(rule: rule, event: event, fields: fields, originalTime: originalTime, receivedAt: received)
        let summary = AlertField.summaryPaths.indices.compactMap { fields.summaryField(inSlot: $0) }

        let registryPath = fields.firstString(inSlot: AlertEventFields.registryPathSlot)
        let portProxy = registryPath.flatMap { path in
            PortProxy.parse(
                registryPath: path, data: fields.firstString(inSlot: AlertEventFields.registryDataSlot),
                valueName: fields.firstString(inSlot: AlertEventFields.registryValueSlot))
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
            reason: reason(fields, registryPath: registryPath),
            fields: summary,
            portProxy: portProxy,
            sourceEventJSON: event.sourceJSON())
    }

    /// Returns the lowercase hex SHA-256 of `ruleID`, a NUL byte and the identity's text, so
    /// that the same event matched by the same rule always gets the same alert id.
    public static func alertID(ruleID: String, identity: EventIdentity) -> String {
        var hasher = SHA256()
        hasher.update(ruleID)
        // The identity's text is fed in its parts, so that no joined string is built.
        switch identity {
        case .searchHit(let index, let id):
            hasher.update("\0hit:")
            hasher.update(index)
            hasher.update("/")
            hasher.update(id)
        case .eventID(let id):
            hasher.update("\0event.id:")
            hasher.update(id)
        case .contentHash(let digest):
            hasher.update("\0sha256:")
            hasher.update(digest)
        }
        return hasher.finalizeHex()
    }

    /// Picks the alert's time as Kibana does: the rule's `timestamp_override` field, else
    /// (unless `timestamp_override_fallback_disabled`) `@timestamp`, else the time the event
    /// arrived. A field whose value is not a valid date counts as missing.
    private static func alertTime(
        rule: Rule, event: Event, fields: AlertEventFields, originalTime: ECSTimestamp?, receivedAt: ECSTimestamp
    ) -> (ECSTimestamp, Alert.TimestampSource) {
        if let name = rule.timestampOverride {
            let field = name == AlertEventFields.ingestedField.name ? AlertEventFields.ingestedField : FieldPath(name)
            if let overridden = fields.timestamp(field, in: event) {
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
    private static func reason(_ fields: AlertEventFields, registryPath: String?) -> String {
        var sentence = fields.isRegistryEvent ? "registry change" : "event"
        if let registryPath {
            sentence += " to \(registryPath)"
        }
        let process = fields.firstString(inSlot: AlertEventFields.executableSlot) ?? fields.firstString(inSlot: AlertEventFields.processNameSlot)
        if let process {
            sentence += " by \(process)"
        }
        if let user = fields.firstString(inSlot: AlertEventFields.userNameSlot) {
            sentence += " as \(user)"
        }
        if let host = fields.firstString(inSlot: AlertEventFields.hostNameSlot) {
            sentence += " on \(host)"
        }
        return sentence
    }
}
