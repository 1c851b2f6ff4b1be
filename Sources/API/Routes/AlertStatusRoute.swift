import Detection
import Foundation
import HTTPServer
import Storage

extension DetectionService {
    static let maxStatusChangeIDs = 1000

    /// `POST /alerts/_status`: sets the workflow status (`status`, or Kibana's `workflow_status`)
    /// of the listed alerts (`ids`) or of every alert that matches `filter`, in one transaction,
    /// recording each change with the reason.
    func changeAlertStatuses(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        let body = try JSONRequestBody.decode(AlertStatusChangeRequest.self, from: request)
        let status = try AlertStatusMember.resolve(status: body.status, workflowStatus: body.workflowStatus)
        let actor = actor(of: request)
        let now = Date()

        switch (body.ids, body.filter) {
        case (let ids?, nil):
            guard (1...Self.maxStatusChangeIDs).contains(ids.count) else {
                throw APIProblem.unprocessable("'ids' must list 1 to \(Self.maxStatusChangeIDs) alert ids, not \(ids.count).", pointer: "/ids")
            }
            let result = try await database.updateAlertStatuses(ids: ids, to: status, actor: actor, reason: body.reason, at: now)
            logger.info("alert statuses changed", ["status": status.rawValue, "updated": "\(result.updated.count)", "actor": actor])
            return .json { json in
                json.beginObject()
                json.key("status"); json.string(status.rawValue)
                json.key("updated"); json.number(result.updated.count)
                json.key("unchanged"); json.number(result.unchanged)
                json.key("updated_ids"); json.beginArray(); result.updated.forEach { json.string($0) }; json.endArray()
                json.key("not_found"); json.beginArray(); result.notFound.forEach { json.string($0) }; json.endArray()
                json.endObject()
            }
        case (nil, let values?):
            let filter = try statusChangeFilter(values, now: now)
            let result = try await database.updateAlertStatuses(matching: filter, to: status, actor: actor, reason: body.reason, at: now)
            logger.info("alert statuses changed", ["status": status.rawValue, "updated": "\(result.updated)", "actor": actor])
            // A filter can match every stored alert, so listing the changed ids would give the
            // response no size bound. GET /alerts with the same filter lists the alerts instead.
            return .json { json in
                json.beginObject()
                json.key("status"); json.string(status.rawValue)
                json.key("updated"); json.number(result.updated)
                json.key("unchanged"); json.number(result.unchanged)
                json.endObject()
            }
        default:
            throw APIProblem.unprocessable(
                "Give either 'ids' (a list of alert ids) or 'filter' (an object of alert filters), not both or neither.", pointer: "")
        }
    }

    /// Checks a body filter with the same rules as the query parameters of `GET /alerts`. An
    /// empty filter is rejected, so that no request changes every alert by accident.
    private func statusChangeFilter(_ values: [String: FilterValue], now: Date) throws -> AlertFilter {
        if let unknown = values.keys.sorted().first(where: { !AlertParameters.filterNames.contains($0) }) {
            let known = AlertParameters.filterNames.sorted().joined(separator: ", ")
            throw APIProblem.unprocessable(
                "Unknown filter '\(APIProblem.excerpt(unknown))'; known filters: \(known).",
                pointer: "/filter/" + unknown.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1"))
        }
        guard !values.isEmpty else {
            throw APIProblem.unprocessable(
                "'filter' has no condition; to change every alert, name the statuses, such as {\"status\": [\"open\", \"acknowledged\"]}.", pointer: "/filter")
        }
        do {
            return try AlertParameters.filter(now: now) { values[$0]?.strings ?? [] }
        } catch {
            throw APIProblem.unprocessable(
                "Filter '\(error.name)' has the invalid value '\(APIProblem.excerpt(error.value))': \(error.expected).",
                pointer: "/filter/\(error.name)")
        }
    }
}

struct AlertStatusChangeRequest: Decodable {
    let status: String?
    let workflowStatus: String?
    let reason: String?
    let ids: [String]?
    let filter: [String: FilterValue]?

    enum CodingKeys: String, CodingKey {
        case status
        case workflowStatus = "workflow_status"
        case reason
        case ids
        case filter
    }

    static let members = RequestMembers(
        known: ["status", "workflow_status", "reason", "ids", "filter"],
        renamed: [
            "signal_ids": "In detectd, the list of alert ids is 'ids'.",
            "query": "detectd takes no Elasticsearch query, so send 'filter', an object of the GET /alerts filters, such as {\"host.name\": \"WKS-01\"}.",
        ])

    init(from decoder: any Decoder) throws {
        try Self.members.rejectUnknown(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeStatusMember(forKey: .status)
        workflowStatus = try container.decodeStatusMember(forKey: .workflowStatus)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        ids = try container.decodeIfPresent([String].self, forKey: .ids)
        filter = try container.decodeIfPresent([String: FilterValue].self, forKey: .filter)
    }
}

/// A filter value in a JSON body: one string or a list of strings.
enum FilterValue: Decodable {
    case one(String)
    case list([String])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .one(text)
        } else {
            self = .list(try container.decode([String].self))
        }
    }

    var strings: [String] {
        switch self {
        case .one(let text): [text]
        case .list(let list): list
        }
    }
}
