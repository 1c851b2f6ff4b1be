import Foundation
import Testing

/// The members of the POST /alerts/_status response with `ids` and with `filter`.
@Suite("Alert bulk status responses", .serialized)
struct AlertStatusResponseTests {
    @Test("ids response lists every outcome")
    func idsResponse() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "shape-1"), alertTestEvent(id: "shape-2")])
        _ = try await service.client.request("PATCH", "/alerts/\(ids[1])", json: #"{"status":"closed"}"#)

        let response = try await service.client.request(
            "POST", "/alerts/_status", json: #"{"status":"closed","ids":["\#(ids[0])","\#(ids[1])","missing"]}"#)
        #expect(response.status == 200)
        let body = try response.json()
        #expect(Set(body.keys) == ["status", "updated", "unchanged", "updated_ids", "not_found"])
        #expect(body["status"] as? String == "closed")
        #expect(body["updated"] as? Int == 1)
        #expect(body["unchanged"] as? Int == 1)
        #expect(body["updated_ids"] as? [String] == [ids[0]])
        #expect(body["not_found"] as? [String] == ["missing"])
    }

    @Test("filter response counts unchanged alerts")
    func filterResponse() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([
            alertTestEvent(id: "shape-f1", host: "LAB-01"),
            alertTestEvent(id: "shape-f2", host: "LAB-01"),
            alertTestEvent(id: "shape-f3", host: "LAB-01"),
            alertTestEvent(id: "shape-f4", host: "WKS-09"),
        ])
        _ = try await service.client.request("PATCH", "/alerts/\(ids[2])", json: #"{"status":"closed"}"#)

        let response = try await service.client.request("POST", "/alerts/_status", json: #"{"status":"closed","filter":{"host.name":"LAB-01"}}"#)
        #expect(response.status == 200)
        let body = try response.json()
        #expect(Set(body.keys) == ["status", "updated", "unchanged"])
        #expect(body["status"] as? String == "closed")
        #expect(body["updated"] as? Int == 2)
        #expect(body["unchanged"] as? Int == 1)

        let again = try await service.client.request("POST", "/alerts/_status", json: #"{"status":"closed","filter":{"host.name":"LAB-01"}}"#)
        let againBody = try again.json()
        #expect(againBody["updated"] as? Int == 0)
        #expect(againBody["unchanged"] as? Int == 3)

        let none = try await service.client.request("POST", "/alerts/_status", json: #"{"status":"closed","filter":{"host.name":"NO-SUCH-HOST"}}"#)
        let noneBody = try none.json()
        #expect(noneBody["updated"] as? Int == 0)
        #expect(noneBody["unchanged"] as? Int == 0)
        #expect(try await service.alertIDs("/alerts?status=open") == [ids[3]])
    }
}
