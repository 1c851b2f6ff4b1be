import Foundation
import Testing

@Suite("Alerts through HTTP", .serialized)
struct AlertRouteTests {
    @Test("status change is stored with its history")
    func statusChange() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/evaluate", json: portProxyEvent(id: "st-1")).json()
        let results = try #require(created["results"] as? [[String: Any]])
        let alertID = try #require(results.first?["alert_id"] as? String)

        let patched = try await service.client.request("PATCH", "/alerts/\(alertID)", json: #"{"status":"acknowledged","reason":"looking into it"}"#)
        #expect(patched.status == 200)
        let alert = try patched.json()
        #expect(alert["status"] as? String == "acknowledged")
        let history = try #require(alert["status_history"] as? [[String: Any]])
        #expect(history.count == 1)
        #expect(history.first?["from"] as? String == "open")
        #expect(history.first?["reason"] as? String == "looking into it")

        let open = try await service.client.request("GET", "/alerts?status=open").json()
        #expect((open["alerts"] as? [Any])?.count == 0)
        let acknowledged = try await service.client.request("GET", "/alerts?status=acknowledged,closed").json()
        #expect((acknowledged["alerts"] as? [Any])?.count == 1)

        let invalid = try await service.client.request("PATCH", "/alerts/\(alertID)", json: #"{"status":"resolved"}"#)
        #expect(invalid.status == 422)
        let missing = try await service.client.request("PATCH", "/alerts/0000", json: #"{"status":"closed"}"#)
        #expect(missing.status == 404)
    }

    @Test("paging with a cursor visits every alert once")
    func paging() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let events = (0..<7).map { portProxyEvent(id: "page-\($0)") }.joined(separator: "\n")
        _ = try await service.client.request("POST", "/evaluate", json: events, contentType: "application/x-ndjson")

        var seen: [String] = []
        var cursor: String?
        repeat {
            let target = "/alerts?limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try await service.client.request("GET", target).json()
            let alerts = try #require(page["alerts"] as? [[String: Any]])
            seen += alerts.compactMap { $0["id"] as? String }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        #expect(seen.count == 7)
        #expect(Set(seen).count == 7)
    }

    @Test("bad parameters get 400 naming them")
    func badParameters() async throws {
        let service = try await TestService()
        defer { service.stop() }
        for target in [
            "/alerts?limit=-1", "/alerts?limit=0", "/alerts?limit=1001", "/alerts?status=done", "/alerts?since=yesterday", "/alerts?host_name=x",
            "/alerts?cursor=%27%3B--",
        ] {
            let response = try await service.client.request("GET", target)
            #expect(response.status == 400, "\(target)")
            #expect(try response.json()["parameter"] as? String != nil, "\(target)")
        }
    }

    @Test("unknown alert gets 404")
    func unknownAlert() async throws {
        let service = try await TestService()
        defer { service.stop() }
        #expect(try await service.client.request("GET", "/alerts/abc").status == 404)
    }

    @Test("rule, health and ready")
    func serviceRoutes() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let rule = try await service.client.request("GET", "/rule").json()
        #expect(rule["rule_id"] as? String == "3535c8bb-3bd5-40f4-ae32-b7cd589d5372")
        #expect(rule["max_signals"] as? Int == 100)
        #expect(try await service.client.request("GET", "/health").json()["status"] as? String == "ok")
        #expect(try await service.client.request("GET", "/ready").json()["status"] as? String == "ready")
    }
}
