import Detection
import Foundation
import HTTPServer
import Storage

extension DetectionService {
    /// How far before and after an alert's time `GET /alerts/{id}/related` looks.
    static let relatedAlertWindow: TimeInterval = 48 * 3600

    /// `GET /alerts/{id}/related`: the other alerts of the same `host.name` or `user.name` in
    /// the 48 hours before and after the alert, newest first.
    func relatedAlerts(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: ["limit"])
        let id = request.pathParameters["id"] ?? ""
        let limit = try integerParameter("limit", in: request, range: 1...Self.maxAlertLimit) ?? Self.defaultAlertLimit
        guard let related = try await database.relatedAlerts(to: id, window: Self.relatedAlertWindow, limit: limit) else {
            throw APIProblem.alertNotFound(id)
        }
        return .json { json in
            json.beginObject()
            json.key("alert_id"); json.string(related.alert.id)
            json.key("host.name"); json.string(related.alert.hostName)
            json.key("user.name"); json.string(related.alert.userName)
            json.key("since"); json.string(rfc3339(milliseconds: related.sinceMilliseconds))
            json.key("until"); json.string(rfc3339(milliseconds: related.untilMilliseconds))
            json.key("alerts")
            json.beginArray()
            for record in related.records {
                json.raw(AlertJSON.render(record))
            }
            json.endArray()
            json.key("has_more"); json.bool(related.hasMore)
            json.endObject()
        }
    }
}
