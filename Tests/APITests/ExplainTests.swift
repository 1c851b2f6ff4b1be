import Foundation
import Testing

@Suite("POST /evaluate?explain=true", .serialized)
struct ExplainTests {
    static let adminItem = #"""
        {"name":"Admin portproxy","entries":[
          {"field":"user.name","operator":"included","type":"match","value":"netadmin"},
          {"field":"process.name","operator":"included","type":"match_any","value":["netsh.exe","powershell.exe"]}]}
        """#

    @Test("matching event lists each part")
    func matchingEvent() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let event = portProxyEvent(id: "explain-1")
        let response = try await service.client.request("POST", "/evaluate?explain=true&dry_run=true", json: event).json()
        let results = try #require(response["results"] as? [[String: Any]])
        let explain = try #require(results.first?["explain"] as? [String: Any])
        let query = try #require(explain["query"] as? [[String: Any]])

        #expect(query.count == 2)
        #expect(query[0]["condition"] as? String == #"event.category == "registry""#)
        #expect(query[0]["held"] as? Bool == true)
        let categoryValues = try #require(query[0]["values"] as? [String: [String]])
        #expect(categoryValues["event.category"] == ["configuration", "registry"])
        #expect((query[1]["condition"] as? String)?.hasPrefix("registry.path : ") == true)
        #expect(query[1]["held"] as? Bool == true)
        let pathValues = try #require(query[1]["values"] as? [String: [String]])
        #expect(pathValues["registry.path"] == [#"HKLM\System\CurrentControlSet\Services\PortProxy\v4tov4\tcp\0.0.0.0/8443"#])
        #expect(explain["exception"] is NSNull)
    }

    @Test("non-matching event shows the failing part")
    func nonMatchingEvent() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let event = #"{"event":{"category":"registry"},"registry":{"path":"HKLM\\SOFTWARE\\Run\\x"}}"#
        let response = try await service.client.request("POST", "/evaluate?explain=true", json: event).json()
        let results = try #require(response["results"] as? [[String: Any]])
        #expect(results.first?["result"] as? String == "no_match")
        let query = try #require((results.first?["explain"] as? [String: Any])?["query"] as? [[String: Any]])
        #expect(query.count == 2)
        #expect(query[0]["held"] as? Bool == true)
        #expect(query[1]["held"] as? Bool == false)
    }

    @Test("suppressed event names item and entries")
    func suppressedEvent() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.adminItem).json()
        let exceptionID = try #require(created["id"] as? String)

        let event = portProxyEvent(id: "explain-2", userName: "netadmin")
        let response = try await service.client.request("POST", "/evaluate?explain=true", json: event).json()
        let result = try #require((response["results"] as? [[String: Any]])?.first)
        #expect(result["result"] as? String == "suppressed")
        let exception = try #require((result["explain"] as? [String: Any])?["exception"] as? [String: Any])
        #expect(exception["id"] as? String == exceptionID)
        #expect(exception["name"] as? String == "Admin portproxy")
        #expect(exception["os_types"] is NSNull)
        let entries = try #require(exception["entries"] as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(entries[0]["pointer"] as? String == "/entries/0")
        #expect(entries[0]["field"] as? String == "user.name")
        #expect(entries[0]["held"] as? Bool == true)
        #expect(entries[0]["values"] as? [String] == ["netadmin"])
        #expect(entries[1]["value"] as? [String] == ["netsh.exe", "powershell.exe"])
        #expect(entries[1]["values"] as? [String] == ["netsh.exe"])
    }

    @Test("explain is absent by default")
    func absentByDefault() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/evaluate?dry_run=true", json: portProxyEvent(id: "explain-3")).json()
        let result = try #require((response["results"] as? [[String: Any]])?.first)
        #expect(result["explain"] == nil)
    }

    @Test("invalid explain value is rejected")
    func invalidValue() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/evaluate?explain=maybe", json: portProxyEvent(id: "explain-4"))
        #expect(response.status == 400)
    }
}
