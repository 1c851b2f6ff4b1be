import Foundation
import Testing

/// `/exceptions/{id}` addressed by Kibana's `item_id` as well as by detectd's `id`.
@Suite("Exceptions by item_id", .serialized)
struct ExceptionItemIDTests {
    static func item(name: String, itemID: String? = nil) -> String {
        let itemMember = itemID.map { #""item_id":"\#($0)","# } ?? ""
        return #"{\#(itemMember)"name":"\#(name)","entries":[{"field":"host.name","operator":"included","type":"match","value":"WKS-01"}]}"#
    }

    @Test("read, replace and delete by item_id")
    func readReplaceDelete() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.item(name: "jump host", itemID: "jump-host")).json()
        let id = try #require(created["id"] as? String)

        let read = try await service.client.request("GET", "/exceptions/jump-host")
        #expect(read.status == 200)
        #expect(try read.json()["id"] as? String == id)

        let replaced = try await service.client.request("PUT", "/exceptions/jump-host", json: Self.item(name: "renamed"))
        #expect(replaced.status == 200)
        let replacedBody = try replaced.json()
        #expect(replacedBody["id"] as? String == id)
        #expect(replacedBody["item_id"] as? String == "jump-host")
        #expect(try await service.client.request("GET", "/exceptions/\(id)").json()["name"] as? String == "renamed")

        let deleted = try await service.client.request("DELETE", "/exceptions/jump-host")
        #expect(deleted.status == 200)
        #expect(try deleted.json()["id"] as? String == id)
        #expect(try await service.client.request("GET", "/exceptions/\(id)").status == 404)

        let missing = try await service.client.request("GET", "/exceptions/jump-host")
        #expect(missing.status == 404)
        #expect(try missing.json()["detail"] as? String == "No exception item has the id or item_id 'jump-host'; list them with GET /exceptions.")
    }

    @Test("replace can change the item_id")
    func replaceChangesItemID() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.item(name: "old", itemID: "old-name")).json()
        let id = try #require(created["id"] as? String)

        let replaced = try await service.client.request("PUT", "/exceptions/old-name", json: Self.item(name: "new", itemID: "new-name"))
        #expect(replaced.status == 200)
        #expect(try await service.client.request("GET", "/exceptions/old-name").status == 404)
        #expect(try await service.client.request("GET", "/exceptions/new-name").json()["id"] as? String == id)
    }

    @Test("item_id with a slash is percent-encoded")
    func slashInItemID() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.item(name: "team", itemID: "network/jump")).json()
        let id = try #require(created["id"] as? String)

        let read = try await service.client.request("GET", "/exceptions/network%2Fjump")
        #expect(read.status == 200)
        #expect(try read.json()["id"] as? String == id)
    }

    @Test("item_id naming another item's id conflicts")
    func itemIDNamingOtherID() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let first = try await service.client.request("POST", "/exceptions", json: Self.item(name: "first", itemID: "first-item")).json()
        let firstID = try #require(first["id"] as? String)

        let created = try await service.client.request("POST", "/exceptions", json: Self.item(name: "second", itemID: firstID))
        #expect(created.status == 409)
        let problem = try created.json()
        #expect(problem["pointer"] as? String == "/item_id")
        #expect((problem["detail"] as? String)?.contains("is the id of another exception item") == true)

        let second = try await service.client.request("POST", "/exceptions", json: Self.item(name: "second", itemID: "second-item")).json()
        let secondID = try #require(second["id"] as? String)
        let replaced = try await service.client.request("PUT", "/exceptions/\(secondID)", json: Self.item(name: "second", itemID: firstID))
        #expect(replaced.status == 409)
        #expect(try await service.client.request("GET", "/exceptions/second-item").json()["id"] as? String == secondID)

        let importLine = Self.item(name: "imported", itemID: firstID) + "\n"
        let imported = try await service.client.request("POST", "/exceptions/_import", json: importLine, contentType: "application/x-ndjson").json()
        #expect(imported["success_count"] as? Int == 0)
        let errors = try #require(imported["errors"] as? [[String: Any]])
        #expect(errors.first?["pointer"] as? String == "/item_id")
        #expect((errors.first?["error"] as? [String: Any])?["status_code"] as? Int == 409)

        #expect(try await service.client.request("GET", "/exceptions").json()["total"] as? Int == 2)
    }

    @Test("item can keep its own id as item_id")
    func ownIDAsItemID() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.item(name: "self")).json()
        let id = try #require(created["id"] as? String)

        let replaced = try await service.client.request("PUT", "/exceptions/\(id)", json: Self.item(name: "self", itemID: id))
        #expect(replaced.status == 200)
        #expect(try await service.client.request("GET", "/exceptions/\(id)").json()["item_id"] as? String == id)
    }
}
