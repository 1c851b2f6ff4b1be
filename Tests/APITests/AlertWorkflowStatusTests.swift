import Foundation
import Testing

/// Kibana's `workflow_status` as a synonym of `status` in PATCH /alerts/{id} and
/// POST /alerts/_status.
@Suite("Alert workflow_status member", .serialized)
struct AlertWorkflowStatusTests {
    @Test("PATCH takes workflow_status")
    func patchWorkflowStatus() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "wf-1")])
        let alertID = try #require(ids.first)

        let patched = try await service.client.request(
            "PATCH", "/alerts/\(alertID)", json: #"{"workflow_status":"acknowledged","reason":"checking"}"#)
        #expect(patched.status == 200)
        let alert = try patched.json()
        #expect(alert["status"] as? String == "acknowledged")
        let history = try #require(alert["status_history"] as? [[String: Any]])
        #expect(history.first?["to"] as? String == "acknowledged")
        #expect(history.first?["reason"] as? String == "checking")

        let agreeing = try await service.client.request("PATCH", "/alerts/\(alertID)", json: #"{"status":"closed","workflow_status":"closed"}"#)
        #expect(agreeing.status == 200)
        #expect(try agreeing.json()["status"] as? String == "closed")
    }

    @Test(
        "PATCH rejects bad status members",
        arguments: [
            (#"{"status":"open","workflow_status":"closed"}"#, "/workflow_status", "'status' is 'open' but 'workflow_status' is 'closed'"),
            (#"{"workflow_status":"resolved"}"#, "/workflow_status", "'workflow_status' must be open, acknowledged or closed, not 'resolved'"),
            (#"{"status":"done","workflow_status":"closed"}"#, "/status", "'status' must be open, acknowledged or closed, not 'done'"),
            (#"{"reason":"no status"}"#, "/status", "The member 'status' is missing"),
            (#"{"status":"closed","workflow_status":null}"#, "/workflow_status", "The value at /workflow_status is null"),
            (#"{"status":null}"#, "/status", "The value at /status is null"),
        ])
    func patchRejects(body: String, pointer: String, detail: String) async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "wf-bad")])
        let alertID = try #require(ids.first)

        let response = try await service.client.request("PATCH", "/alerts/\(alertID)", json: body)
        #expect(response.status == 422)
        let problem = try response.json()
        #expect(problem["pointer"] as? String == pointer)
        #expect((problem["detail"] as? String)?.hasPrefix(detail) == true)

        let alert = try await service.client.request("GET", "/alerts/\(alertID)").json()
        #expect(alert["status"] as? String == "open")
    }

    @Test("bulk status takes workflow_status")
    func bulkWorkflowStatus() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "wf-b1", host: "WKS-07"), alertTestEvent(id: "wf-b2", host: "WKS-08")])

        let byIDs = try await service.client.request("POST", "/alerts/_status", json: #"{"workflow_status":"acknowledged","ids":["\#(ids[0])"]}"#)
        #expect(byIDs.status == 200)
        let byIDsBody = try byIDs.json()
        #expect(byIDsBody["status"] as? String == "acknowledged")
        #expect(byIDsBody["updated"] as? Int == 1)

        let byFilter = try await service.client.request(
            "POST", "/alerts/_status", json: #"{"status":"closed","workflow_status":"closed","filter":{"host.name":"WKS-08"}}"#)
        #expect(byFilter.status == 200)
        #expect(try byFilter.json()["updated"] as? Int == 1)
        #expect(try await service.alertIDs("/alerts?status=acknowledged") == [ids[0]])
        #expect(try await service.alertIDs("/alerts?status=closed") == [ids[1]])
    }

    @Test("bulk status rejects disagreeing members")
    func bulkDisagreement() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "wf-b3")])

        let response = try await service.client.request(
            "POST", "/alerts/_status", json: #"{"status":"closed","workflow_status":"open","ids":["\#(ids[0])"]}"#)
        #expect(response.status == 422)
        let problem = try response.json()
        #expect(problem["pointer"] as? String == "/workflow_status")
        #expect((problem["detail"] as? String)?.contains("'status' is 'closed' but 'workflow_status' is 'open'") == true)
        #expect(try await service.alertIDs("/alerts?status=open") == ids)

        let null = try await service.client.request(
            "POST", "/alerts/_status", json: #"{"status":"closed","workflow_status":null,"ids":["\#(ids[0])"]}"#)
        #expect(null.status == 422)
        #expect(try null.json()["pointer"] as? String == "/workflow_status")
        #expect(try await service.alertIDs("/alerts?status=open") == ids)
    }
}
