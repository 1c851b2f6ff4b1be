import Detection
import Foundation
import HTTPServer
import Storage

extension DetectionService {
    static let defaultAlertLimit = 100
    static let maxAlertLimit = 1000

    /// `GET /alerts`: newest first, filtered, with keyset paging through an opaque cursor.
    func listAlerts(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: ["status", "host.name", "user.name", "since", "until", "limit", "cursor"])
        var query = AlertQuery(limit: try integerParameter("limit", in: request, range: 1...Self.maxAlertLimit) ?? Self.defaultAlertLimit)
        for value in request.queryValues("status") {
            for name in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let status = AlertStatus(rawValue: String(name)) else {
                    throw APIProblem.invalidParameter("status", value: String(name), expected: "use open, acknowledged or closed")
                }
                query.statuses.append(status)
            }
        }
        query.hostName = try singleParameter("host.name", in: request)
        query.userName = try singleParameter("user.name", in: request)
        let now = Date()
        for name in ["since", "until"] {
            guard let text = try singleParameter(name, in: request) else { continue }
            guard let milliseconds = TimeBound.epochMilliseconds(text, now: now) else {
                throw APIProblem.invalidParameter(name, value: text, expected: "use an RFC 3339 time such as 2024-05-01T12:00:00Z or date math such as now-48h")
            }
            if name == "since" { query.sinceMilliseconds = milliseconds } else { query.untilMilliseconds = milliseconds }
        }
        query.cursor = try singleParameter("cursor", in: request)

        let page: AlertPage
        do {
            page = try await database.alerts(query)
        } catch {
            guard case .invalidCursor(let cursor, let reason) = error else { throw error }
            throw APIProblem.invalidParameter("cursor", value: cursor, expected: "\(reason); pass the next_cursor value of an earlier response unchanged")
        }
        return .json { json in
            json.beginObject()
            json.key("alerts")
            json.beginArray()
            for record in page.records {
                json.raw(AlertJSON.render(record))
            }
            json.endArray()
            json.key("next_cursor")
            if let cursor = page.nextCursor { json.string(cursor) } else { json.null() }
            json.endObject()
        }
    }

    /// `GET /alerts/{id}`: one alert with its status history.
    func getAlert(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        let id = request.pathParameters["id"] ?? ""
        guard let record = try await database.alert(id: id) else {
            throw APIProblem.alertNotFound(id)
        }
        let changes = try await database.statusChanges(alertID: id)
        return .json(text: AlertJSON.render(record, changes: changes))
    }

    /// `PATCH /alerts/{id}`: changes the workflow status, with an optional reason.
    func patchAlert(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        let id = request.pathParameters["id"] ?? ""
        let patch = try JSONRequestBody.decode(AlertPatch.self, from: request)
        guard let status = AlertStatus(rawValue: patch.status) else {
            throw APIProblem.unprocessable("'status' must be open, acknowledged or closed, not '\(APIProblem.excerpt(patch.status))'.", pointer: "/status")
        }
        guard let record = try await database.updateAlertStatus(id: id, to: status, actor: actor(of: request), reason: patch.reason, at: Date()) else {
            throw APIProblem.alertNotFound(id)
        }
        logger.info("alert status changed", ["alert_id": id, "status": status.rawValue])
        let changes = try await database.statusChanges(alertID: id)
        return .json(text: AlertJSON.render(record, changes: changes))
    }
}

struct AlertPatch: Decodable {
    let status: String
    let reason: String?
}

extension APIProblem {
    static func alertNotFound(_ id: String) -> APIProblem {
        .notFound("No alert has the id '\(APIProblem.excerpt(id))'; list alerts with GET /alerts.")
    }
}

extension AlertRecord {
    /// The row to store for a new alert.
    init(_ alert: Alert, status: AlertStatus, at date: Date) {
        let now = epochMilliseconds(date)
        self.init(
            id: alert.id,
            ruleID: alert.ruleID,
            status: status,
            severity: alert.severity,
            timestampMilliseconds: alert.timestamp.epochMilliseconds,
            timestamp: alert.timestampText,
            originalTime: alert.originalTime?.iso8601,
            createdAtMilliseconds: now,
            updatedAtMilliseconds: now,
            hostName: alert.hostName,
            userName: alert.userName,
            registryPath: alert.registryPath,
            document: alert.documentJSON(),
            event: alert.sourceEventJSON
        )
    }
}

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
