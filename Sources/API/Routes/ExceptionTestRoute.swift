import Detection
import Foundation
import HTTPServer
import Storage

extension DetectionService {
    /// The most alerts `POST /exceptions/_test` lists; the count covers all of them.
    static let maxListedTestAlerts = 1000
    /// The page size used to read the stored alerts.
    static let testPageSize = 1000

    /// `POST /exceptions/_test`: evaluates an exception item, without storing it, against the
    /// original event of every stored alert and lists the alerts it would have suppressed.
    ///
    /// The item is validated as for `POST /exceptions` (422 with a pointer), except that it needs
    /// no `name`, since it is not stored. Expiry counts at the time of the request, so an expired
    /// item suppresses nothing. `limit` (1 to 1000, the default) caps the alerts listed; the
    /// count covers all of them.
    func testException(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: ["limit"])
        let listLimit = try integerParameter("limit", in: request, range: 1...Self.maxListedTestAlerts) ?? Self.maxListedTestAlerts
        var item = try JSONRequestBody.decode(ExceptionItem.self, from: request)
        if item.name.isEmpty {
            item.name = "exception test"
        }
        do {
            try item.validate()
        } catch {
            throw APIProblem.unprocessable(error.message, pointer: error.pointer)
        }
        let candidate = CompiledExceptions([(id: "candidate", item: item)])
        let decoder = EventDecoder(limits: limits)
        let now = Date()

        var evaluated = 0
        var undecodable = 0
        var suppressed: [AlertRecord] = []
        var suppressedCount = 0
        var cursor: String?
        repeat {
            let page = try await database.alerts(AlertQuery(limit: Self.testPageSize, cursor: cursor))
            for record in page.records {
                var holds: Bool?
                do {
                    try decoder.decode(Array(record.event.utf8), format: .json) { decoded in
                        if case .event(let event) = decoded {
                            holds = candidate.firstMatch(event, now: now) != nil
                        }
                    }
                } catch {
                    holds = nil
                }
                guard let holds else {
                    undecodable += 1
                    logger.warning("stored alert event could not be decoded for an exception test", ["alert_id": record.id])
                    continue
                }
                evaluated += 1
                if holds {
                    suppressedCount += 1
                    if suppressed.count < listLimit {
                        suppressed.append(record)
                    }
                }
            }
            cursor = page.nextCursor
        } while cursor != nil

        return .json { json in
            json.beginObject()
            json.member("evaluated", evaluated)
            json.member("would_suppress", suppressedCount)
            json.member("undecodable", undecodable)
            json.member("truncated", suppressedCount > suppressed.count)
            json.key("warnings")
            json.beginArray()
            for warning in item.warnings() {
                json.beginObject()
                json.member("pointer", warning.pointer)
                json.member("message", warning.message)
                json.endObject()
            }
            json.endArray()
            json.key("alerts")
            json.beginArray()
            for record in suppressed {
                json.beginObject()
                json.member("id", record.id)
                json.member("status", record.status.rawValue)
                json.member("@timestamp", record.timestamp)
                json.key("host.name"); json.string(record.hostName)
                json.key("user.name"); json.string(record.userName)
                json.key("registry.path"); json.string(record.registryPath)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
    }
}
