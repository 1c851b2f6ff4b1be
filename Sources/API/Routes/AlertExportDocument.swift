import Detection
import Storage

/// An alert as a document of Kibana's security alerts index (`.alerts-security.alerts-*`), so
/// that another Elastic component can index it: `kibana.alert.*` fields with dotted names, the
/// rule under `kibana.alert.rule.*`, and the source event's ECS fields at the top level.
///
/// As Kibana does, the event's own `event.*` fields move to `kibana.alert.original_event`,
/// `event.kind` becomes `signal`, and `@timestamp` is the alert's time.
enum AlertExportDocument {
    /// The Kibana space every exported alert belongs to.
    static let spaceID = "default"

    /// `rule` is the loaded rule; its settings are added when it is the rule that made the alert.
    static func render(_ record: AlertRecord, rule: Rule) -> String {
        let document = AlertJSONMembers(record.document)
        let storedRule = AlertJSONMembers(String(document["rule"] ?? "{}"))
        let event = AlertJSONMembers(record.event)

        var json = JSONWriter()
        json.beginObject()
        json.member("@timestamp", record.timestamp)
        json.member("kibana.alert.uuid", record.id)
        json.member("kibana.alert.status", "active")
        json.member("kibana.alert.workflow_status", record.status.rawValue)
        if record.updatedAtMilliseconds != record.createdAtMilliseconds {
            json.member("kibana.alert.workflow_status_updated_at", rfc3339(milliseconds: record.updatedAtMilliseconds))
        }
        json.member("kibana.alert.severity", record.severity)
        if let riskScore = storedRule["risk_score"] {
            json.key("kibana.alert.risk_score"); json.raw(String(riskScore))
        }
        if let reason = document["reason"] {
            json.key("kibana.alert.reason"); json.raw(String(reason))
        }
        json.optionalMember("kibana.alert.original_time", record.originalTime)
        json.member("kibana.alert.depth", 1)
        json.member("kibana.space_ids", [spaceID])

        for member in storedRule.members {
            // detectd stores the rule_id as the rule's `id`; Kibana calls the rule's id `uuid`.
            let name = member.key == "id" ? "uuid" : member.key
            json.key("kibana.alert.rule.\(name)"); json.raw(String(member.rawValue))
        }
        if rule.ruleID == record.ruleID {
            writeRuleSettings(rule, to: &json)
        }

        json.member("event.kind", "signal")
        writeOriginalEvent(event, to: &json)
        for member in event.members where !isReplaced(member.key) {
            json.key(member.key); json.raw(String(member.rawValue))
        }
        json.endObject()
        return json.text
    }

    private static func writeRuleSettings(_ rule: Rule, to json: inout JSONWriter) {
        json.member("kibana.alert.rule.type", rule.type)
        json.member("kibana.alert.rule.rule_type_id", "siem.\(rule.type)Rule")
        json.member("kibana.alert.rule.consumer", "siem")
        json.member("kibana.alert.rule.producer", "siem")
        json.member("kibana.alert.rule.description", rule.description)
        json.member("kibana.alert.rule.tags", rule.tags)
        json.member("kibana.alert.rule.references", rule.references)
        json.member("kibana.alert.rule.interval", rule.interval)
        json.member("kibana.alert.rule.from", rule.from)
        json.member("kibana.alert.rule.max_signals", rule.maxSignals)
        json.key("kibana.alert.rule.parameters")
        json.beginObject()
        json.member("language", rule.language)
        json.member("query", rule.query)
        json.member("index", rule.index)
        json.endObject()
    }

    /// Writes `kibana.alert.original_event` from the event's `event` object and its dotted
    /// `event.*` keys; nothing when it has neither.
    private static func writeOriginalEvent(_ event: AlertJSONMembers, to json: inout JSONWriter) {
        let nested = event["event"].map { AlertJSONMembers(String($0)) }?.members ?? []
        let dotted = event.members.filter { $0.key.hasPrefix("event.") }
        guard !nested.isEmpty || !dotted.isEmpty else {
            return
        }
        json.key("kibana.alert.original_event")
        json.beginObject()
        for member in nested {
            json.key(member.key); json.raw(String(member.rawValue))
        }
        for member in dotted {
            json.key(String(member.key.dropFirst("event.".count))); json.raw(String(member.rawValue))
        }
        json.endObject()
    }

    /// Event fields that the alert document sets itself and so are not copied.
    private static func isReplaced(_ key: String) -> Bool {
        key == "@timestamp" || key == "event" || key.hasPrefix("event.") || key == "kibana" || key.hasPrefix("kibana.")
    }
}
