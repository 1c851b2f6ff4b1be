import Detection
import HTTPServer

extension DetectionService {
    /// `GET /rule`: the loaded rule as it was read, in Kibana's rule format.
    func getRule(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        return .json(text: rule.rule.json)
    }

    /// `GET /health`: the process is up and serving HTTP. The body also contains detectd's version.
    func health(_ request: HTTPRequest) throws -> HTTPResponse {
        .json(text: Self.healthBody)
    }

    /// The body of every `GET /health` response, built once because the route is polled often.
    private static let healthBody = #"{"status":"ok","version":"# + JSONWriter.quoted(detectdVersion) + "}"

    /// `GET /ready`: the database accepts a write, so evaluations can be stored. The body also
    /// gives the database's size and the last retention pass.
    func ready(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            try await database.checkWritable()
        } catch {
            logger.error("readiness check failed", ["error": "\(error)"])
            return APIProblem(status: 503, title: "Service Unavailable", detail: "The database is not writable: \(error)").response
        }
        return .json(text: readinessJSON())
    }
}
