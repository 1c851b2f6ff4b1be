import Foundation
import Testing

@Suite("Audit log and exception side effects", .serialized)
struct AuditRouteTests {
    static let labException = #"""
        {"name":"Lab hosts","entries":[{"field":"host.name","operator":"included","type":"wildcard","value":"LAB-*"}]}
        """#

    @Test("object_id takes an item_id")
    func objectIDByItemID() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = Self.labException.replacingOccurrences(of: #"{"name""#, with: #"{"item_id":"lab-hosts","name""#)
        let created = try await service.client.request("POST", "/exceptions", json: body).json()
        let id = try #require(created["id"] as? String)
        let audit = try await service.client.request("GET", "/audit?object_id=lab-hosts").json()
        let entries = try #require(audit["entries"] as? [[String: Any]])
        #expect(entries.map { $0["object_id"] as? String } == [id])
        let byID = try await service.client.request("GET", "/audit?object_id=\(id)").json()
        #expect((byID["entries"] as? [Any])?.count == 1)
    }

    @Test("replace with the stored item")
    func unchangedReplace() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.labException).json()
        let id = try #require(created["id"] as? String)

        // The same item with its members in another order.
        let reordered = #"{"entries":[{"value":"LAB-*","type":"wildcard","operator":"included","field":"host.name"}],"name":"Lab hosts"}"#
        let same = try await service.client.request("PUT", "/exceptions/\(id)", json: reordered)
        #expect(same.status == 200)
        let sameBody = try same.json()
        #expect(sameBody["updated_at"] as? String == created["updated_at"] as? String)
        #expect(sameBody["name"] as? String == "Lab hosts")
        let afterSame = try await service.client.request("GET", "/audit").json()
        #expect((afterSame["entries"] as? [[String: Any]])?.map { $0["action"] as? String } == ["create"])

        let renamed = Self.labException.replacingOccurrences(of: "Lab hosts", with: "Lab hosts v2")
        #expect(try await service.client.request("PUT", "/exceptions/\(id)", json: renamed).status == 200)
        let afterRename = try await service.client.request("GET", "/audit").json()
        #expect((afterRename["entries"] as? [[String: Any]])?.map { $0["action"] as? String } == ["replace", "create"])
    }

    @Test("exception changes are listed")
    func exceptionChangesListed() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.labException).json()
        let id = try #require(created["id"] as? String)
        let replacement = #"{"name":"Lab hosts v2","entries":[{"field":"host.name","operator":"included","type":"match","value":"LAB-1"}]}"#
        _ = try await service.client.request("PUT", "/exceptions/\(id)", json: replacement)
        _ = try await service.client.request("DELETE", "/exceptions/\(id)")

        let audit = try await service.client.request("GET", "/audit").json()
        let entries = try #require(audit["entries"] as? [[String: Any]])

        #expect(entries.map { $0["action"] as? String } == ["delete", "replace", "create"])
        #expect(entries.allSatisfy { $0["object_id"] as? String == id })
        #expect(entries.allSatisfy { $0["actor"] as? String == "api" })
        #expect(entries[2]["before"] is NSNull)
        #expect((entries[2]["after"] as? [String: Any])?["name"] as? String == "Lab hosts")
        #expect((entries[1]["before"] as? [String: Any])?["name"] as? String == "Lab hosts")
        #expect((entries[1]["after"] as? [String: Any])?["name"] as? String == "Lab hosts v2")
        #expect(entries[0]["after"] is NSNull)
        #expect(audit["next_cursor"] is NSNull)

        let firstPage = try await service.client.request("GET", "/audit?limit=2").json()
        let cursor = try #require(firstPage["next_cursor"] as? String)
        let secondPage = try await service.client.request("GET", "/audit?limit=2&cursor=\(cursor)").json()
        #expect((secondPage["entries"] as? [[String: Any]])?.map { $0["action"] as? String } == ["create"])
        let deletions = try await service.client.request("GET", "/audit?action=delete").json()
        #expect((deletions["entries"] as? [Any])?.count == 1)
        #expect(try await service.client.request("GET", "/audit?limit=0").status == 400)
        #expect(try await service.client.request("GET", "/audit?action=drop").status == 400)
        #expect(try await service.client.request("GET", "/audit?cursor=bogus").status == 400)
    }

    @Test("new exception closes matching alerts")
    func newExceptionClosesMatchingAlerts() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([
            alertTestEvent(id: "c1", host: "LAB-1"),
            alertTestEvent(id: "c2", host: "LAB-2"),
            alertTestEvent(id: "c3", host: "OFFICE-1"),
        ])
        _ = try await service.client.request("PATCH", "/alerts/\(ids[1])", json: #"{"status":"acknowledged"}"#)

        let body = Self.labException.dropLast() + #","close_matching_alerts":true}"#
        let response = try await service.client.request("POST", "/exceptions", json: String(body))
        let created = try response.json()

        #expect(response.status == 201)
        #expect(created["closed_alerts"] as? Int == 2)
        #expect(created["close_matching_alerts"] == nil)
        #expect(try await service.alertIDs("/alerts?status=closed").sorted() == [ids[0], ids[1]].sorted())
        #expect(try await service.alertIDs("/alerts?status=open") == [ids[2]])
        let alert = try await service.client.request("GET", "/alerts/\(ids[0])").json()
        let reason = (alert["status_history"] as? [[String: Any]])?.last?["reason"] as? String
        #expect(reason == "closed by exception item \(created["id"] as? String ?? "")")
    }

    @Test("exception without the option closes nothing")
    func exceptionWithoutOptionClosesNothing() async throws {
        let service = try await TestService()
        defer { service.stop() }
        _ = try await service.postAlerts([alertTestEvent(id: "d1", host: "LAB-1")])

        let created = try await service.client.request("POST", "/exceptions", json: Self.labException).json()

        #expect(created["closed_alerts"] == nil)
        #expect(try await service.alertIDs("/alerts?status=open").count == 1)
        let invalid = try await service.client.request("POST", "/exceptions", json: String(Self.labException.dropLast() + #","close_matching_alerts":"yes"}"#))
        #expect(invalid.status == 422)
    }
}
