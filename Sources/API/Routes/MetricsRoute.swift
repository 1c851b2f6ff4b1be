import HTTPServer

extension DetectionService {
    /// `GET /metrics`: every metric in the Prometheus text format, version 0.0.4.
    func getMetrics(_ request: HTTPRequest) async throws -> HTTPResponse {
        try rejectUnknownParameters(request, allowed: [])
        var response = HTTPResponse(status: 200, body: Array(metrics.render().utf8))
        response.headers.set("Content-Type", PrometheusText.contentType)
        return response
    }
}
