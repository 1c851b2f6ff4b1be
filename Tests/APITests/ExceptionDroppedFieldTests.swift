import Foundation
import Testing

/// The `warnings` that POST and PUT /exceptions return for Kibana members that detectd does not
/// store.
@Suite("Dropped exception item fields", .serialized)
struct ExceptionDroppedFieldTests {
    /// An item as Kibana's exception items API returns it, with a made-up entry member.
    static let kibanaItem = #"""
        {"id":"5a1b6f40-1111-4c4c-9d9d-000000000001","item_id":"kibana-jump-host","list_id":"endpoint_list",
         "name":"Jump host","description":"admin portproxy","type":"simple","namespace_type":"agnostic",
         "tags":["network"],"os_types":["windows"],"expire_time":"2099-01-01T00:00:00.000Z",
         "meta":{"temporaryUuid":"abc"},"_version":"WzEsMV0=","tie_breaker_id":"t-1",
         "created_at":"2024-01-01T00:00:00.000Z","created_by":"elastic","updated_by":"elastic",
         "comments":[{"id":"c-1","comment":"approved","created_at":"2024-01-01T00:00:00.000Z","created_by":"elastic","updated_by":"elastic"}],
         "entries":[{"field":"user.name","operator":"included","type":"match","value":"netadmin","note":"x"}],
         "close_matching_alerts":false}
        """#

    static func warningsByPointer(_ body: [String: Any]) -> [String: String] {
        let warnings = body["warnings"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: warnings.map { ($0["pointer"] as? String ?? "", $0["message"] as? String ?? "") })
    }

    @Test("create lists each dropped member")
    func createListsDropped() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/exceptions", json: Self.kibanaItem)
        #expect(response.status == 201)
        let body = try response.json()
        let warnings = Self.warningsByPointer(body)

        #expect(
            Set(warnings.keys) == [
                "/_version", "/created_at", "/created_by", "/id", "/meta", "/tie_breaker_id", "/updated_by",
                "/entries/0/note", "/comments/0/updated_by",
            ])
        #expect(warnings["/meta"] == "detectd does not store the member at /meta, so it was dropped from the item.")
        #expect(warnings["/entries/0/note"] == "detectd does not store the member at /entries/0/note, so it was dropped from the item.")
        #expect(warnings["/id"] == "detectd sets 'id' itself, so the value in the request was ignored.")
        #expect(body["id"] as? String != "5a1b6f40-1111-4c4c-9d9d-000000000001")
    }

    @Test("create keeps the Kibana members it stores")
    func createKeepsStored() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.kibanaItem).json()
        let id = try #require(created["id"] as? String)

        let stored = try await service.client.request("GET", "/exceptions/\(id)").json()
        #expect(stored["item_id"] as? String == "kibana-jump-host")
        #expect(stored["list_id"] as? String == "endpoint_list")
        #expect(stored["namespace_type"] as? String == "agnostic")
        #expect(stored["tags"] as? [String] == ["network"])
        #expect(stored["os_types"] as? [String] == ["windows"])
        #expect(stored["expire_time"] as? String == "2099-01-01T00:00:00.000Z")
        let comments = try #require(stored["comments"] as? [[String: Any]])
        #expect(comments.first?["comment"] as? String == "approved")
        #expect(comments.first?["created_by"] as? String == "elastic")
        #expect(stored["meta"] == nil)
        #expect(stored["_version"] == nil)
        #expect(stored["warnings"] == nil)
    }

    @Test("create without extra members has no warnings")
    func createWithoutExtras() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"{"name":"plain","close_matching_alerts":true,"entries":[{"field":"host.name","operator":"included","type":"match","value":"WKS-01"}]}"#
        let response = try await service.client.request("POST", "/exceptions", json: item)
        #expect(response.status == 201)
        let body = try response.json()
        #expect(body["warnings"] == nil)
        #expect(body["closed_alerts"] as? Int == 0)
    }

    @Test("value warning and dropped member together")
    func valueAndDroppedWarnings() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"{"name":"path","meta":{},"entries":[{"field":"process.executable","operator":"included","type":"wildcard","value":"C:\\Windows\\*"}]}"#
        let body = try await service.client.request("POST", "/exceptions", json: item).json()
        let warnings = Self.warningsByPointer(body)
        #expect(warnings.count == 2)
        #expect(warnings["/entries/0/value"]?.contains("To match a backslash, double it") == true)
        #expect(warnings["/meta"] != nil)
    }

    @Test("replace lists dropped members and options")
    func replaceListsDropped() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.kibanaItem).json()
        let id = try #require(created["id"] as? String)

        let replacement =
            #"{"name":"renamed","meta":{"a":1},"close_matching_alerts":true,"entries":[{"field":"host.name","operator":"included","type":"match","value":"WKS-01"}]}"#
        let response = try await service.client.request("PUT", "/exceptions/\(id)", json: replacement)
        #expect(response.status == 200)
        let warnings = Self.warningsByPointer(try response.json())
        #expect(Set(warnings.keys) == ["/close_matching_alerts", "/meta"])
        #expect(
            warnings["/close_matching_alerts"]
                == "close_matching_alerts applies only when an item is created with POST /exceptions, so it was ignored.")

        let plain = #"{"name":"plain","entries":[{"field":"host.name","operator":"included","type":"match","value":"WKS-01"}]}"#
        let replacedAgain = try await service.client.request("PUT", "/exceptions/\(id)", json: plain).json()
        #expect(replacedAgain["warnings"] == nil)
    }
}
