import Detection
import Storage

/// Renders stored alerts for responses: the stored document with the current workflow status.
enum AlertJSON {
    static func render(_ record: AlertRecord, changes: [AlertStatusChange]? = nil) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string(record.status.rawValue)
        json.key("created_at"); json.string(rfc3339(milliseconds: record.createdAtMilliseconds))
        json.key("updated_at"); json.string(rfc3339(milliseconds: record.updatedAtMilliseconds))
        if let changes {
            json.key("status_history")
            json.beginArray()
            for change in changes {
                json.beginObject()
                json.key("from"); json.string(change.from.rawValue)
                json.key("to"); json.string(change.to.rawValue)
                json.key("actor"); json.string(change.actor)
                json.key("reason"); if let reason = change.reason { json.string(reason) } else { json.null() }
                json.key("at"); json.string(rfc3339(milliseconds: change.atMilliseconds))
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
        return appendingMembers(of: record.document, to: json.text)
    }
}
