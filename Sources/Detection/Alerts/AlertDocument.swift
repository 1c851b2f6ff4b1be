extension Alert {
    /// Returns the alert document: the alert's JSON object without a workflow status, which
    /// the API adds.
    ///
    /// Members: `id`, `@timestamp`, `timestamp_field`, `original_time`, `received_at`,
    /// `event_identity`, `rule`, `reason`, the summary fields nested as ECS objects (`host`,
    /// `user`, `process`, `registry`, `event`), `port_proxy` and `source_event`, the original
    /// event. `original_time` is null when the event has no valid `@timestamp`, and `port_proxy`
    /// is null when `registry.path` is not a PortProxy key. The rule's `id` and `rule_id` are
    /// both its `rule_id`, because detectd has no Kibana saved-object id.
    public func documentJSON() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.member("id", id)
        writer.member("@timestamp", timestamp.iso8601)
        writer.member("timestamp_field", timestampSource.description)
        writer.key("original_time")
        writer.string(originalTime?.iso8601)
        writer.member("received_at", receivedAt.iso8601)
        writer.member("event_identity", eventIdentity.description)

        writer.key("rule")
        writeRule(to: &writer)
        writer.member("reason", reason)
        writeSummaryFields(to: &writer)

        writer.key("port_proxy")
        if let portProxy {
            portProxy.writeJSON(to: &writer)
        } else {
            writer.null()
        }
        writer.key("source_event")
        writer.raw(sourceEventJSON)
        writer.endObject()
        return writer.text
    }

    private func writeRule(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("id", ruleID)
        writer.member("rule_id", ruleID)
        writer.member("name", ruleName)
        writer.member("version", ruleVersion)
        writer.member("severity", severity)
        writer.member("risk_score", riskScore)
        writer.key("threat")
        writer.beginArray()
        for entry in threat {
            writeThreat(entry, to: &writer)
        }
        writer.endArray()
        writer.endObject()
    }

    private func writeThreat(_ entry: RuleThreat, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.member("framework", entry.framework)
        writer.key("tactic")
        writer.beginObject()
        writer.member("id", entry.tactic.id)
        writer.member("name", entry.tactic.name)
        writer.member("reference", entry.tactic.reference)
        writer.endObject()
        writer.key("technique")
        writer.beginArray()
        for technique in entry.technique {
            writer.beginObject()
            writer.member("id", technique.id)
            writer.member("name", technique.name)
            writer.member("reference", technique.reference)
            writer.key("subtechnique")
            writer.beginArray()
            for subtechnique in technique.subtechnique {
                writer.beginObject()
                writer.member("id", subtechnique.id)
                writer.member("name", subtechnique.name)
                writer.member("reference", subtechnique.reference)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    /// Writes the summary fields as nested objects. `summaryPaths` lists each object's fields
    /// together, so one pass that opens and closes objects as the path prefix changes suffices.
    private func writeSummaryFields(to writer: inout JSONWriter) {
        var openObjects: [String] = []
        for field in fields {
            let parents = Array(field.path.segments.dropLast())
            var shared = 0
            while shared < min(openObjects.count, parents.count), openObjects[shared] == parents[shared] {
                shared += 1
            }
            while openObjects.count > shared {
                writer.endObject()
                openObjects.removeLast()
            }
            for name in parents[shared...] {
                writer.key(name)
                writer.beginObject()
                openObjects.append(name)
            }

            writer.key(field.path.segments.last ?? field.path.name)
            if field.otherValues.isEmpty && !field.isArray {
                field.firstValue.write(to: &writer)
            } else {
                writer.beginArray()
                field.firstValue.write(to: &writer)
                for value in field.otherValues {
                    value.write(to: &writer)
                }
                writer.endArray()
            }
        }
        for _ in openObjects {
            writer.endObject()
        }
    }
}
