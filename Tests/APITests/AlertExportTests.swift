import Foundation
import Testing

@Suite("Alert export", .serialized)
struct AlertExportTests {
    private func lines(_ response: TestHTTPClient.Response) throws -> [[String: Any]] {
        try response.text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("NDJSON has Kibana field names")
    func ndjsonHasKibanaFieldNames() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "x1", host: "WKS-07", user: "alice")])
        _ = try await service.client.request("PATCH", "/alerts/\(ids[0])", json: #"{"status":"acknowledged"}"#)

        let response = try await service.client.request("GET", "/alerts/_export")
        let documents = try lines(response)
        let document = try #require(documents.first)

        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/x-ndjson")
        #expect(response.header("Link") == nil)
        #expect(documents.count == 1)
        #expect(document["kibana.alert.uuid"] as? String == ids[0])
        #expect(document["kibana.alert.workflow_status"] as? String == "acknowledged")
        #expect(document["kibana.alert.severity"] as? String == "medium")
        #expect(document["kibana.alert.risk_score"] as? Int == 47)
        #expect(document["kibana.alert.rule.rule_id"] as? String == "3535c8bb-3bd5-40f4-ae32-b7cd589d5372")
        #expect(document["kibana.alert.rule.name"] as? String == "Port Forwarding Rule Addition")
        #expect(document["kibana.alert.rule.type"] as? String == "eql")
        #expect(document["kibana.alert.original_time"] as? String == "2024-03-01T09:59:58.000Z")
        #expect(document["@timestamp"] as? String == "2024-03-01T10:00:00.000Z")
        #expect((document["kibana.alert.reason"] as? String)?.isEmpty == false)
        #expect(document["event.kind"] as? String == "signal")
        #expect((document["kibana.alert.original_event"] as? [String: Any])?["id"] as? String == "x1")
        #expect((document["host"] as? [String: Any])?["name"] as? String == "WKS-07")
        #expect((document["user"] as? [String: Any])?["name"] as? String == "alice")
        #expect(document["event"] == nil)
    }

    @Test("bulk lines pair action and document")
    func bulkLinesPairActionAndDocument() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "y1"), alertTestEvent(id: "y2")])

        let response = try await service.client.request("GET", "/alerts/_export?format=bulk&index=security-alerts&order=asc")
        let documents = try lines(response)

        #expect(documents.count == 4)
        let action = try #require(documents.first?["create"] as? [String: Any])
        #expect(action["_index"] as? String == "security-alerts")
        #expect(action["_id"] as? String == documents[1]["kibana.alert.uuid"] as? String)
        #expect(Set(documents.compactMap { $0["kibana.alert.uuid"] as? String }) == Set(ids))
        #expect(try await service.client.request("GET", "/alerts/_export?format=bulk&index=Bad*Index").status == 400)
        #expect(try await service.client.request("GET", "/alerts/_export?format=csv").status == 400)
    }

    @Test("limit links the next part")
    func limitLinksNextPart() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts((0..<5).map { alertTestEvent(id: "z\($0)", ingested: "2024-03-01T10:00:0\($0)Z") })

        var exported: [String] = []
        var target: String? = "/alerts/_export?limit=2&status=open"
        var parts = 0
        while let next = target, parts < 10 {
            let response = try await service.client.request("GET", next)
            exported += try lines(response).compactMap { $0["kibana.alert.uuid"] as? String }
            target = response.header("Link").flatMap { link in
                link.split(separator: ">").first.map { String($0.dropFirst()) }
            }
            parts += 1
        }

        #expect(parts == 3)
        #expect(exported == ids.reversed())
    }
}
