import Foundation
import Testing

/// `GET /exceptions` pages: limit, cursor, total and the 400s for invalid values.
@Suite("Exception list paging", .serialized)
struct ExceptionListPagingTests {
    /// Builds an import body with `count` items named `bulk-0` … `bulk-(count - 1)`.
    static func export(count: Int) -> String {
        var lines = [#"{"list_id":"bulk","type":"detection","namespace_type":"single"}"#]
        for index in 0..<count {
            lines.append(
                #"{"item_id":"bulk-\#(index)","name":"bulk \#(index)","type":"simple","entries":[{"field":"host.name","operator":"included","type":"match","value":"HOST-\#(index)"}]}"#
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func page(_ service: TestService, _ query: String) async throws -> (items: [[String: Any]], nextCursor: String?, total: Int?) {
        let response = try await service.client.request("GET", "/exceptions" + query)
        #expect(response.status == 200, "GET /exceptions\(query): \(response.text)")
        let body = try response.json()
        let items = try #require(body["data"] as? [[String: Any]])
        #expect(body.keys.contains("next_cursor"))
        return (items, body["next_cursor"] as? String, body["total"] as? Int)
    }

    @Test("walk of 250 items")
    func walkOf250Items() async throws {
        let service = try await TestService()
        defer { service.stop() }
        // Items of one import are created milliseconds apart, so many share a creation time and
        // the id orders them. The other 10 are created one request each.
        let report = try await ExceptionInterchangeTests.importExport(service, Self.export(count: 240)).json()
        #expect(report["success_count"] as? Int == 240)
        for index in 240..<250 {
            let item =
                #"{"item_id":"bulk-\#(index)","name":"bulk \#(index)","entries":[{"field":"host.name","operator":"included","type":"match","value":"H"}]}"#
            #expect(try await service.client.request("POST", "/exceptions", json: item).status == 201)
        }

        let first = try await Self.page(service, "")
        #expect(first.items.count == 100)
        #expect(first.total == 250)
        #expect(first.nextCursor != nil)

        var seen: [(createdAt: String, id: String, itemID: String)] = []
        var cursor: String?
        var pages = 0
        repeat {
            let query = cursor.map { "?limit=64&cursor=\($0)" } ?? "?limit=64"
            let page = try await Self.page(service, query)
            #expect(page.total == 250)
            seen += page.items.map { ($0["created_at"] as? String ?? "", $0["id"] as? String ?? "", $0["item_id"] as? String ?? "") }
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10

        #expect(pages == 4)
        #expect(seen.count == 250)
        #expect(Set(seen.map(\.itemID)) == Set((0..<250).map { "bulk-\($0)" }))
        let inOrder = zip(seen, seen.dropFirst()).allSatisfy { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        #expect(inOrder, "items are not ordered by created_at, then id")
    }

    @Test("short list fits default page")
    func shortListFitsDefaultPage() async throws {
        let service = try await TestService()
        defer { service.stop() }
        _ = try await ExceptionInterchangeTests.importExport(service, Self.export(count: 3))

        let page = try await Self.page(service, "")
        #expect(page.items.map { $0["item_id"] as? String }.count == 3)
        #expect(page.nextCursor == nil)
        #expect(page.total == 3)

        let last = try await Self.page(service, "?limit=3")
        #expect(last.items.count == 3)
        #expect(last.nextCursor == nil)
    }

    @Test("invalid limit is a 400")
    func invalidLimit() async throws {
        let service = try await TestService()
        defer { service.stop() }
        for value in ["0", "-1", "1001", "ten", "", "1.5"] {
            let response = try await service.client.request("GET", "/exceptions?limit=\(value)")
            #expect(response.status == 400, "limit=\(value)")
            #expect(response.header("Content-Type") == "application/problem+json", "limit=\(value)")
            #expect(try response.json()["parameter"] as? String == "limit", "limit=\(value)")
        }
        #expect(try await service.client.request("GET", "/exceptions?limit=1000").status == 200)
    }

    @Test("invalid cursor is a 400")
    func invalidCursor() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let alertCursor = Self.base64URL("d:1700000000000:0123")
        for value in ["bogus!", "", Self.base64URL("exception:soon:e1"), alertCursor] {
            let response = try await service.client.request("GET", "/exceptions?cursor=\(value)")
            #expect(response.status == 400, "cursor=\(value)")
            let problem = try response.json()
            #expect(problem["parameter"] as? String == "cursor", "cursor=\(value)")
            #expect((problem["detail"] as? String)?.contains("next_cursor") == true, "cursor=\(value)")
        }
        let twice = try await service.client.request("GET", "/exceptions?cursor=a&cursor=b")
        #expect(twice.status == 400)
        #expect(try twice.json()["parameter"] as? String == "cursor")
    }

    @Test("unknown parameter is a 400")
    func unknownParameter() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("GET", "/exceptions?page=2")
        #expect(response.status == 400)
        #expect(try response.json()["parameter"] as? String == "page")
    }
}
