import Foundation
import Testing

@Suite("POST /exceptions/_test", .serialized)
struct ExceptionTestRouteTests {
    @Test("lists alerts the item would suppress")
    func listsSuppressedAlerts() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = [
            portProxyEvent(id: "test-1", userName: "netadmin"),
            portProxyEvent(id: "test-2", userName: "mallory"),
            portProxyEvent(id: "test-3", userName: "netadmin"),
        ].joined(separator: "\n")
        let evaluated = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson").json()
        #expect(evaluated["alerts_created"] as? Int == 3)

        let item = #"{"name":"admin","entries":[{"field":"user.name","operator":"included","type":"match","value":"netadmin"}]}"#
        let response = try await service.client.request("POST", "/exceptions/_test", json: item)
        #expect(response.status == 200)
        let result = try response.json()
        #expect(result["evaluated"] as? Int == 3)
        #expect(result["would_suppress"] as? Int == 2)
        #expect(result["truncated"] as? Bool == false)
        let alerts = try #require(result["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        #expect(alerts.allSatisfy { $0["user.name"] as? String == "netadmin" })

        // Testing stores nothing: the exception list stays empty.
        let list = try await service.client.request("GET", "/exceptions").json()
        #expect(list["total"] as? Int == 0)
    }

    @Test("no name needed, limit caps the list")
    func nameAndLimit() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = (1...3).map { portProxyEvent(id: "limit-\($0)", userName: "netadmin") }.joined(separator: "\n")
        _ = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson")

        let item = #"{"entries":[{"field":"user.name","operator":"included","type":"match","value":"netadmin"}]}"#
        let result = try await service.client.request("POST", "/exceptions/_test?limit=2", json: item).json()
        #expect(result["would_suppress"] as? Int == 3)
        #expect((result["alerts"] as? [Any])?.count == 2)
        #expect(result["truncated"] as? Bool == true)
        #expect(try await service.client.request("POST", "/exceptions/_test?limit=0", json: item).status == 400)
    }

    @Test("excluded entry counts missing fields")
    func excludedEntry() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = [portProxyEvent(id: "ex-1", userName: "netadmin"), portProxyEvent(id: "ex-2")].joined(separator: "\n")
        _ = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson")

        let item = #"{"name":"not admin","entries":[{"field":"user.name","operator":"excluded","type":"match","value":"netadmin"}]}"#
        let result = try await service.client.request("POST", "/exceptions/_test", json: item).json()
        #expect(result["would_suppress"] as? Int == 1)
    }

    @Test("invalid item gets 422 with pointer")
    func invalidItem() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"{"name":"bad","entries":[{"field":"user.name","operator":"included","type":"match"}]}"#
        let response = try await service.client.request("POST", "/exceptions/_test", json: item)
        #expect(response.status == 422)
        #expect(try response.json()["pointer"] as? String == "/entries/0/value")
    }

    @Test("Windows path value carries a warning")
    func backslashWarning() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"{"name":"path","entries":[{"field":"process.executable","operator":"included","type":"wildcard","value":"C:\\Windows\\*"}]}"#
        let result = try await service.client.request("POST", "/exceptions/_test", json: item).json()
        let warnings = try #require(result["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["pointer"] as? String == "/entries/0/value")
    }
}
