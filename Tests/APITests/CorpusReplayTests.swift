import Foundation
import Testing

@Suite("Corpus replay through HTTP", .serialized)
struct CorpusReplayTests {
    @Test("every corpus event gets its labelled result")
    func corpusLabels() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let labels = try Fixtures.labels()
        #expect(labels.count == 57)

        var alertsCreated = 0
        for file in Set(labels.map(\.file)).sorted() {
            let response = try await service.client.request(
                "POST", "/evaluate", body: try Fixtures.bytes(file), headers: ["Content-Type": "application/x-ndjson"])
            #expect(response.status == 200, "\(file): \(response.text.prefix(300))")
            let body = try response.json()
            let results = try #require(body["results"] as? [[String: Any]])
            let fileLabels = labels.filter { $0.file == file }
            #expect(results.count == fileLabels.count, "\(file)")
            for label in fileLabels {
                let result = try #require(results.first { $0["line"] as? Int == label.line }, "\(file) line \(label.line) has no result")
                let expected = label.match ? "alert" : "no_match"
                #expect(result["result"] as? String == expected, "\(file) line \(label.line)")
            }
            alertsCreated += body["alerts_created"] as? Int ?? 0
        }
        #expect(alertsCreated == 3)

        let list = try await service.client.request("GET", "/alerts?limit=1000").json()
        let alerts = try #require(list["alerts"] as? [[String: Any]])
        #expect(alerts.count == 3)
    }

    @Test("Elastic Agent file creates two alerts once")
    func panacheTwice() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = try Fixtures.bytes("eas_panache_edr_testing_rec4945-4966.elastic_agent.ndjson")

        let first = try await service.client.request("POST", "/evaluate", body: body, headers: ["Content-Type": "application/x-ndjson"]).json()
        #expect(first["evaluated"] as? Int == 22)
        #expect(first["matched"] as? Int == 2)
        #expect(first["alerts_created"] as? Int == 2)
        #expect(first["duplicates"] as? Int == 0)

        let second = try await service.client.request("POST", "/evaluate", body: body, headers: ["Content-Type": "application/x-ndjson"]).json()
        #expect(second["matched"] as? Int == 2)
        #expect(second["alerts_created"] as? Int == 0)
        #expect(second["duplicates"] as? Int == 2)
        let results = try #require(second["results"] as? [[String: Any]])
        #expect(results.filter { $0["result"] as? String == "duplicate" }.count == 2)

        let list = try await service.client.request("GET", "/alerts").json()
        let alerts = try #require(list["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        for alert in alerts {
            let portProxy = try #require(alert["port_proxy"] as? [String: Any])
            #expect(portProxy["listen_address"] as? String == "0.0.0.0")
            #expect(portProxy["listen_port"] as? Int == 8080)
            #expect(portProxy["protocol"] as? String == "tcp")
            #expect(alert["status"] as? String == "open")
            let rule = try #require(alert["rule"] as? [String: Any])
            #expect(rule["rule_id"] as? String == "3535c8bb-3bd5-40f4-ae32-b7cd589d5372")
            #expect(rule["risk_score"] as? Int == 47)
        }
    }

    @Test("dry run stores nothing")
    func dryRun() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = try Fixtures.bytes("eas_de_portforward_netsh_rdp.winlogbeat.ndjson")
        let response = try await service.client.request("POST", "/evaluate?dry_run=true", body: body, headers: ["Content-Type": "application/x-ndjson"]).json()
        #expect(response["matched"] as? Int == 1)
        #expect(response["alerts_created"] as? Int == 0)
        let results = try #require(response["results"] as? [[String: Any]])
        #expect(results[2]["result"] as? String == "match")
        let list = try await service.client.request("GET", "/alerts").json()
        #expect((list["alerts"] as? [Any])?.count == 0)
    }

    @Test("dry run previews duplicates and max_signals")
    func dryRunPreview() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let stored = portProxyEvent(id: "preview-stored")
        #expect(try await service.client.request("POST", "/evaluate", json: stored).status == 200)

        // One stored event, then 101 new ones and a repeat of the first new one: the rule stores
        // at most 100 alerts per request.
        let events = [stored] + (0...100).map { portProxyEvent(id: "preview-\($0)") } + [portProxyEvent(id: "preview-0")]
        let body = events.joined(separator: "\n")
        let response = try await service.client.request("POST", "/evaluate?dry_run=true", json: body, contentType: "application/x-ndjson").json()
        let results = try #require(response["results"] as? [[String: Any]])
        let kinds = results.map { $0["result"] as? String ?? "" }
        #expect(kinds.first == "duplicate")
        #expect(kinds[1...100].allSatisfy { $0 == "match" })
        #expect(kinds[101] == "not_persisted")
        #expect(kinds[102] == "not_persisted")
        #expect(response["duplicates"] as? Int == 1)
        #expect(response["not_persisted"] as? Int == 2)
        #expect(response["alerts_created"] as? Int == 0)
        let warnings = try #require(response["warnings"] as? [String])
        #expect(warnings.first?.hasPrefix("max_signals (100) would be reached") == true)

        let list = try await service.client.request("GET", "/alerts?limit=1000").json()
        #expect((list["alerts"] as? [Any])?.count == 1)
        let samples = try await service.metrics()
        #expect(samples["detectd_alert_duplicates_total"] == 0)
        #expect(samples["detectd_alerts_not_persisted_total"] == 0)
        #expect(samples["detectd_alerts_created_total"] == 1)
    }

    @Test("dry run repeat in one body")
    func dryRunRepeat() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let event = portProxyEvent(id: "preview-twice")
        let response = try await service.client.request(
            "POST", "/evaluate?dry_run=true", json: event + "\n" + event, contentType: "application/x-ndjson"
        ).json()
        let results = try #require(response["results"] as? [[String: Any]])
        #expect(results.map { $0["result"] as? String } == ["match", "duplicate"])
    }
}
