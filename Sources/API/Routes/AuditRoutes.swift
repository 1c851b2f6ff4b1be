import Detection
import HTTPServer
import Storage

extension DetectionService {
    static let defaultAuditLimit = 100

    /// `GET /audit`: the audit log of exception changes, newest first, with cursor paging.
    /// Each entry has who, when, the action and the item before and after the change.
    /// `object_id` takes detectd's `id` or, for a stored item, its Kibana `item_id`, as the other
    /// exception routes do. A deleted item is found by its `id` only.
    func listAudit(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: ["limit", "cursor", "object_id", "action"])
        var query = AuditQuery(limit: try integerParameter("limit", in: request, range: AuditQuery.limitRange) ?? Self.defaultAuditLimit)
        query.cursor = try singleParameter("cursor", in: request)
        if let objectID = try singleParameter("object_id", in: request) {
            query.objectID = try await database.exception(idOrItemID: objectID)?.id ?? objectID
        }
        if let action = try singleParameter("action", in: request) {
            guard let parsed = AuditEntry.Action(rawValue: action) else {
                throw APIProblem.invalidParameter("action", value: action, expected: "use create, replace or delete")
            }
            query.action = parsed
        }

        let page: AuditPage
        do {
            page = try await database.auditEntries(query)
        } catch {
            guard case .invalidCursor(let cursor, let reason) = error else { throw error }
            throw APIProblem.invalidParameter("cursor", value: cursor, expected: "\(reason); pass the next_cursor value of an earlier response unchanged")
        }
        return .json { json in
            json.beginObject()
            json.key("entries")
            json.beginArray()
            for entry in page.entries {
                Self.write(entry, to: &json)
            }
            json.endArray()
            json.key("next_cursor")
            if let cursor = page.nextCursor { json.string(cursor) } else { json.null() }
            json.endObject()
        }
    }

    private static func write(_ entry: AuditEntry, to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.number(entry.id)
        json.member("at", rfc3339(milliseconds: entry.atMilliseconds))
        json.member("actor", entry.actor)
        json.member("action", entry.action.rawValue)
        json.member("object_type", entry.objectType)
        json.member("object_id", entry.objectID)
        // The stored item documents are JSON written by detectd, so they are embedded as they are.
        json.key("before"); if let before = entry.before { json.raw(before) } else { json.null() }
        json.key("after"); if let after = entry.after { json.raw(after) } else { json.null() }
        json.endObject()
    }
}
