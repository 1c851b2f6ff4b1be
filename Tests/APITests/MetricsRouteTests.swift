import Foundation
import HTTPServer
import Testing

@testable import API

/// Sample values of a Prometheus text body, keyed by series as rendered (`name{label="v"}`).
func prometheusSamples(_ text: String) -> [String: Double] {
    var samples: [String: Double] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        guard let space = line.lastIndex(of: " ") else { continue }
        samples[String(line[..<space])] = Double(line[line.index(after: space)...])
    }
    return samples
}

extension TestService {
    func metrics() async throws -> [String: Double] {
        let response = try await client.request("GET", "/metrics")
        guard response.status == 200 else {
            throw TestClientError("GET /metrics returned \(response.status): \(response.text)")
        }
        return prometheusSamples(response.text)
    }
}

@Suite("GET /metrics", .serialized)
struct MetricsRouteTests {
    static let adminItem = #"""
        {"name": "Network team jump host", "entries": [
          {"field": "user.name", "operator": "included", "type": "match", "value": "netadmin"}]}
        """#

    @Test("Prometheus text content type")
    func contentType() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("GET", "/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.text.contains("# TYPE detectd_events_evaluated_total counter\n"))
        #expect(response.text.hasSuffix("\n"))
    }

    @Test("query parameters are rejected")
    func unknownParameter() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("GET", "/metrics?name=detectd_events_evaluated_total")
        #expect(response.status == 400)
    }

    @Test("corpus outcomes are counted")
    func corpusOutcomes() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = try Fixtures.bytes("eas_panache_edr_testing_rec4945-4966.elastic_agent.ndjson")
        let first = try await service.client.request("POST", "/evaluate", body: body, headers: ["Content-Type": "application/x-ndjson"])
        #expect(first.status == 200)
        let counts = try first.json()

        var samples = try await service.metrics()
        #expect(samples["detectd_events_evaluated_total"] == Double(counts["evaluated"] as? Int ?? -1))
        #expect(samples["detectd_events_evaluated_total"] == 22)
        #expect(samples["detectd_events_matched_total"] == 2)
        #expect(samples["detectd_alerts_created_total"] == 2)
        #expect(samples["detectd_alert_duplicates_total"] == 0)
        #expect(samples[#"detectd_http_requests_total{method="POST",route="/evaluate",status="200"}"#] == 1)
        #expect(samples[#"detectd_http_request_duration_seconds_count{method="POST",route="/evaluate"}"#] == 1)
        #expect(samples["detectd_alert_commit_duration_seconds_count"] == 1)

        _ = try await service.client.request("POST", "/evaluate", body: body, headers: ["Content-Type": "application/x-ndjson"])
        samples = try await service.metrics()
        #expect(samples["detectd_events_evaluated_total"] == 44)
        #expect(samples["detectd_alerts_created_total"] == 2)
        #expect(samples["detectd_alert_duplicates_total"] == 2)
        #expect(samples[#"detectd_http_requests_total{method="POST",route="/evaluate",status="200"}"#] == 2)
        #expect(samples[#"detectd_http_requests_total{method="GET",route="/metrics",status="200"}"#] == 1)
    }

    @Test("suppressed events by exception id")
    func suppressedByException() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.adminItem)
        #expect(created.status == 201)
        let exceptionID = try #require(try created.json()["id"] as? String)

        let body = [portProxyEvent(id: "sup-1", userName: "netadmin"), portProxyEvent(id: "sup-2", userName: "netadmin"), portProxyEvent(id: "sup-3")]
            .joined(separator: "\n")
        let response = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson")
        #expect(try response.json()["suppressed"] as? Int == 2)

        let samples = try await service.metrics()
        #expect(samples[#"detectd_events_suppressed_total{exception_id="\#(exceptionID)"}"#] == 2)
        #expect(samples["detectd_events_matched_total"] == 3)
        #expect(samples["detectd_alerts_created_total"] == 1)
        #expect(samples["detectd_exceptions_active"] == 1)
    }

    @Test("expired exception is not active")
    func expiredException() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let expired =
            #"{"name": "Old", "expire_time": "2020-01-01T00:00:00.000Z", "entries": [{"field": "user.name", "operator": "included", "type": "match", "value": "a"}]}"#
        #expect(try await service.client.request("POST", "/exceptions", json: expired).status == 201)
        #expect(try await service.client.request("POST", "/exceptions", json: Self.adminItem).status == 201)
        #expect(try await service.metrics()["detectd_exceptions_active"] == 1)
    }

    @Test("max_signals truncation is counted")
    func truncation() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = (1...101).map { portProxyEvent(id: "trunc-\($0)") }.joined(separator: "\n")
        let response = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson")
        #expect(try response.json()["not_persisted"] as? Int == 1)

        let samples = try await service.metrics()
        #expect(samples["detectd_evaluate_truncated_requests_total"] == 1)
        #expect(samples["detectd_alerts_not_persisted_total"] == 1)
        #expect(samples["detectd_alerts_created_total"] == 100)
    }

    @Test("dry run counts evaluation only")
    func dryRun() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/evaluate?dry_run=true", json: portProxyEvent(id: "dry-1"))
        #expect(response.status == 200)

        let samples = try await service.metrics()
        #expect(samples["detectd_events_evaluated_total"] == 1)
        #expect(samples["detectd_events_matched_total"] == 1)
        #expect(samples["detectd_alerts_created_total"] == 0)
        #expect(samples["detectd_alert_commit_duration_seconds_count"] == 0)
    }

    @Test("invalid and out-of-scope events")
    func invalidAndOutOfScope() async throws {
        let service = try await TestService()
        defer { service.stop() }
        _ = try await service.client.request("POST", "/evaluate", json: "[\(portProxyEvent(id: "inv-1")), 42, \"text\"]")
        let hits = #"{"hits":{"hits":[{"_index":"other-index","_id":"x","_source":\#(portProxyEvent(id: "oos-1"))}]}}"#
        _ = try await service.client.request("POST", "/evaluate", json: hits)

        let samples = try await service.metrics()
        #expect(samples["detectd_events_invalid_total"] == 2)
        #expect(samples["detectd_events_out_of_scope_total"] == 1)
        #expect(samples["detectd_events_evaluated_total"] == 1)
    }

    @Test("error statuses by route pattern")
    func errorStatuses() async throws {
        let service = try await TestService()
        defer { service.stop() }
        #expect(try await service.client.request("POST", "/evaluate", json: "{not json").status == 400)
        #expect(try await service.client.request("GET", "/alerts/no-such-alert").status == 404)

        let samples = try await service.metrics()
        #expect(samples[#"detectd_http_requests_total{method="POST",route="/evaluate",status="400"}"#] == 1)
        #expect(samples[#"detectd_http_requests_total{method="GET",route="/alerts/{id}",status="404"}"#] == 1)
        #expect(samples["detectd_events_evaluated_total"] == 0)
    }

    @Test("database gauges after a commit")
    func databaseGauges() async throws {
        let service = try await TestService()
        defer { service.stop() }
        _ = try await service.client.request("POST", "/evaluate", json: portProxyEvent(id: "db-1"))

        let samples = try await service.metrics()
        #expect((samples[#"detectd_database_size_bytes{file="database"}"#] ?? 0) > 0)
        #expect(samples[#"detectd_database_size_bytes{file="wal"}"#] != nil)
        #expect((samples[#"detectd_database_transactions_total{outcome="committed"}"#] ?? 0) >= 1)
        #expect(samples[#"detectd_database_transactions_total{outcome="failed"}"#] == 0)
        #expect(samples["detectd_http_requests_in_flight"] == 1)
    }

    @Test("open connections come from the server")
    func openConnections() async throws {
        let service = try await TestService()
        defer { service.stop() }
        // The scrape's own connection is open while the gauge is read.
        #expect(try await service.metrics()["detectd_http_open_connections"] == 1)

        service.service.metrics.setOpenConnectionsSource { 3 }
        #expect(try await service.metrics()["detectd_http_open_connections"] == 3)
    }
}

@Suite("Service metrics")
struct ServiceMetricsTests {
    @Test("unmatched route and odd method")
    func unmatchedRoute() {
        let metrics = ServiceMetrics()
        metrics.recordHTTP(method: HTTPMethod("BREW"), route: nil, status: 404, duration: .milliseconds(2))
        metrics.recordHTTP(method: .DELETE, route: nil, status: 404, duration: .milliseconds(2))

        let samples = prometheusSamples(metrics.render())
        #expect(samples[#"detectd_http_requests_total{method="other",route="unmatched",status="404"}"#] == 1)
        #expect(samples[#"detectd_http_requests_total{method="DELETE",route="unmatched",status="404"}"#] == 1)
        #expect(samples[#"detectd_http_request_duration_seconds_bucket{method="other",route="unmatched",le="0.0025"}"#] == 1)
        #expect(samples[#"detectd_http_request_duration_seconds_bucket{method="other",route="unmatched",le="0.001"}"#] == 0)
    }

    @Test("commit time recorded on throw")
    func commitOnThrow() async {
        let metrics = ServiceMetrics()
        struct CommitFailed: Error {}
        await #expect(throws: CommitFailed.self) {
            try await metrics.timeCommit { throw CommitFailed() }
        }
        #expect(metrics.commitDuration.count() == 1)
    }
}
