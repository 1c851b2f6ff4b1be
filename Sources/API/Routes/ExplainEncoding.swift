import Detection

/// The JSON form of an `Explanation`, written under a result's `explain` member:
///
///     {"query": [{"condition": "registry.path : \"…\"", "held": true,
///                 "values": {"registry.path": ["…"]}}],
///      "exception": {"id": "…", "name": "…",
///                    "os_types": {"listed": ["windows"], "field": "host.os.type", "held": true, "values": ["windows"]},
///                    "entries": [{"pointer": "/entries/0", "field": "user.name",
///                    "type": "match", "operator": "included", "value": "…", "held": true, "values": ["…"]}]}}
///
/// `exception` is null unless an item suppressed the event, and its `os_types` is null when the
/// item lists no operating systems.
enum ExplainEncoding {
    static func encode(_ explanation: Explanation, into json: inout JSONWriter) {
        json.beginObject()
        json.key("query")
        json.beginArray()
        for part in explanation.query {
            json.beginObject()
            json.key("condition"); json.string(part.condition)
            json.key("held"); json.bool(part.held)
            json.key("values")
            json.beginObject()
            for field in part.values {
                json.member(field.field, field.values)
            }
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.key("exception")
        if let exception = explanation.exception {
            encode(exception, into: &json)
        } else {
            json.null()
        }
        json.endObject()
    }

    private static func encode(_ exception: ExceptionExplanation, into json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(exception.id)
        json.key("name"); json.string(exception.name)
        json.key("os_types")
        if let osTypes = exception.osTypes {
            json.beginObject()
            json.member("listed", osTypes.listed)
            json.key("field"); json.string(osTypes.values.field)
            json.key("held"); json.bool(osTypes.held)
            json.member("values", osTypes.values.values)
            json.endObject()
        } else {
            json.null()
        }
        json.key("entries")
        json.beginArray()
        for entry in exception.entries {
            json.beginObject()
            json.key("pointer"); json.string(entry.pointer)
            json.key("field"); json.string(entry.entry.field)
            json.key("type"); json.string(entry.entry.type.rawValue)
            json.key("operator"); json.string(entry.entry.operator?.rawValue)
            switch entry.entry.value {
            case .string(let text): json.key("value"); json.string(text)
            case .list(let values): json.member("value", values)
            case nil: break
            }
            if let caseInsensitive = entry.entry.caseInsensitive {
                json.member("case_insensitive", caseInsensitive)
            }
            json.key("held"); json.bool(entry.held)
            json.member("values", entry.values.values)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }
}
