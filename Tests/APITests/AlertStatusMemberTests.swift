import Foundation
import Testing

/// Unknown members in PATCH /alerts/{id} and POST /alerts/_status bodies are rejected with a
/// pointer, and nothing changes.
@Suite("Alert status unknown members", .serialized)
struct AlertStatusMemberTests {
    @Test(
        "PATCH rejects unknown members",
        arguments: [
            (#"{"status":"closed","reson":"typo"}"#, "/reson", "The member 'reson' is unknown here. Did you mean 'reason'?"),
            (#"{"stauts":"closed"}"#, "/stauts", "The member 'stauts' is unknown here. Did you mean 'status'?"),
            (#"{"status":"closed","assignee":"bob"}"#, "/assignee", "The member 'assignee' is unknown here. Known members: status, workflow_status, reason."),
            (#"{"status":"closed","a/b~c":1}"#, "/a~1b~0c", "The member 'a/b~c' is unknown here."),
        ])
    func patchRejectsUnknown(body: String, pointer: String, detail: String) async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "member-patch")])
        let alertID = try #require(ids.first)

        let response = try await service.client.request("PATCH", "/alerts/\(alertID)", json: body)
        #expect(response.status == 422)
        let problem = try response.json()
        #expect(problem["pointer"] as? String == pointer)
        #expect((problem["detail"] as? String)?.hasPrefix(detail) == true)

        let alert = try await service.client.request("GET", "/alerts/\(alertID)").json()
        #expect(alert["status"] as? String == "open")
        #expect((alert["status_history"] as? [Any])?.isEmpty == true)
    }

    @Test(
        "bulk status rejects unknown members",
        arguments: [
            (#""reson":"typo","ids":["ID"]"#, "/reson", "The member 'reson' is unknown here. Did you mean 'reason'?"),
            (#""signal_ids":["ID"]"#, "/signal_ids", "The member 'signal_ids' belongs to Kibana's API. In detectd, the list of alert ids is 'ids'."),
            (
                #""query":{"bool":{"filter":[{"term":{"host.name":"WKS-01"}}]}}"#, "/query",
                "The member 'query' belongs to Kibana's API. detectd takes no Elasticsearch query, so send 'filter'"
            ),
            (
                #""ids":["ID"],"conflicts":"proceed""#, "/conflicts",
                "The member 'conflicts' is unknown here. Known members: status, workflow_status, reason, ids, filter."
            ),
        ])
    func bulkRejectsUnknown(members: String, pointer: String, detail: String) async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "member-bulk", host: "WKS-01")])
        let alertID = try #require(ids.first)

        let body = #"{"status":"closed","# + members.replacingOccurrences(of: "\"ID\"", with: "\"\(alertID)\"") + "}"
        let response = try await service.client.request("POST", "/alerts/_status", json: body)
        #expect(response.status == 422)
        let problem = try response.json()
        #expect(problem["pointer"] as? String == pointer)
        #expect((problem["detail"] as? String)?.hasPrefix(detail) == true)
        #expect(try await service.alertIDs("/alerts?status=open") == [alertID])
    }

    @Test("known members still change status")
    func knownMembersAccepted() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "member-ok")])
        let alertID = try #require(ids.first)

        let response = try await service.client.request(
            "PATCH", "/alerts/\(alertID)", json: #"{"status":"closed","workflow_status":"closed","reason":"lab host"}"#)
        #expect(response.status == 200)
        let history = try #require(try response.json()["status_history"] as? [[String: Any]])
        #expect(history.first?["reason"] as? String == "lab host")
    }
}
