import Detection
import Foundation
import HTTPServer
import Storage

extension DetectionService {
    static let defaultAlertLimit = 100
    static let maxAlertLimit = 1000

    /// `GET /alerts`: newest first unless `order=asc`, filtered, with keyset paging through an
    /// opaque cursor and, with `total=true`, the number of alerts on all pages.
    func listAlerts(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: AlertParameters.filterNames.union(["sort", "order", "limit", "cursor", "total"]))
        let query = AlertQuery(
            filter: try alertFilter(request, now: Date()),
            limit: try integerParameter("limit", in: request, range: 1...Self.maxAlertLimit) ?? Self.defaultAlertLimit,
            cursor: try singleParameter("cursor", in: request),
            ascending: try alertSortAscending(request),
            includeTotal: try booleanParameter("total", in: request) ?? false
        )
        let page = try await alertPage(query)
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
            if let total = page.total {
                json.key("total"); json.number(total)
            }
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

    /// `PATCH /alerts/{id}`: changes the workflow status (`status`, or Kibana's
    /// `workflow_status`), with an optional reason.
    func patchAlert(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        let id = request.pathParameters["id"] ?? ""
        let patch = try JSONRequestBody.decode(AlertPatch.self, from: request)
        let status = try AlertStatusMember.resolve(status: patch.status, workflowStatus: patch.workflowStatus)
        guard let record = try await database.updateAlertStatus(id: id, to: status, actor: actor(of: request), reason: patch.reason, at: Date()) else {
            throw APIProblem.alertNotFound(id)
        }
        logger.info("alert status changed", ["alert_id": id, "status": status.rawValue])
        let changes = try await database.statusChanges(alertID: id)
        return .json(text: AlertJSON.render(record, changes: changes))
    }
}

struct AlertPatch: Decodable {
    let status: String?
    let workflowStatus: String?
    let reason: String?

    enum CodingKeys: String, CodingKey {
        case status
        case workflowStatus = "workflow_status"
        case reason
    }

    static let members = RequestMembers(known: ["status", "workflow_status", "reason"])

    init(from decoder: any Decoder) throws {
        try Self.members.rejectUnknown(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeStatusMember(forKey: .status)
        workflowStatus = try container.decodeStatusMember(forKey: .workflowStatus)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
    }
}

extension APIProblem {
    static func alertNotFound(_ id: String) -> APIProblem {
        .notFound("No alert has the id '\(APIProblem.excerpt(id))'; list alerts with GET /alerts.")
    }
}

extension AlertRecord {
    /// Creates the row to store for a new alert.
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
