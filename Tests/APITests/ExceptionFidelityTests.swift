import Foundation
import Testing

/// Exception items compared with what Kibana and Elasticsearch 8.x do with the same item.
@Suite("Exception fidelity through HTTP", .serialized)
struct ExceptionFidelityTests {
    /// Posts `events` as NDJSON and returns each result's `result` member.
    static func results(of events: [String], service: TestService) async throws -> [String] {
        let body = events.joined(separator: "\n")
        let response = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson").json()
        let results = try #require(response["results"] as? [[String: Any]])
        return results.map { $0["result"] as? String ?? "" }
    }

    @Test("case_insensitive keeps non-ASCII case")
    func caseInsensitiveASCIIOnly() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"""
            {"name":"José's lab","entries":[
              {"field":"user.name","operator":"included","type":"match","value":"JOSÉ","case_insensitive":true}]}
            """#
        #expect(try await service.client.request("POST", "/exceptions", json: item).status == 201)

        let events = [
            portProxyEvent(id: "ascii-1", userName: "JOSÉ"),
            portProxyEvent(id: "ascii-2", userName: "josÉ"),
            portProxyEvent(id: "ascii-3", userName: "josé"),
        ]
        let results = try await Self.results(of: events, service: service)
        #expect(results == ["suppressed", "suppressed", "alert"])
    }
}
