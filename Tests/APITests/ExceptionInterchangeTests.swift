import Foundation
import Testing

@Suite("Kibana exception interchange", .serialized)
struct ExceptionInterchangeTests {
    /// An export in the shape Kibana 8 writes: the list, two items, then the summary line.
    static let kibanaExport =
        [
            #"{"_version":"WzEsMV0=","created_at":"2024-03-01T10:00:00.000Z","created_by":"elastic","description":"Port proxy exceptions","id":"9e5a2d10-0000-4000-8000-000000000001","immutable":false,"list_id":"portproxy-exceptions","name":"Port proxy exceptions","namespace_type":"single","os_types":[],"tags":[],"tie_breaker_id":"5d1e","type":"detection","updated_at":"2024-03-01T10:00:00.000Z","updated_by":"elastic","version":1}"#,
            #"{"_version":"WzIsMV0=","comments":[{"comment":"approved by CAB-42","created_at":"2024-03-01T10:00:00.000Z","created_by":"elastic","id":"c1"}],"created_at":"2024-03-01T10:00:00.000Z","created_by":"elastic","description":"jump host","entries":[{"field":"user.name","operator":"included","type":"match","value":"netadmin"},{"field":"process.command_line","operator":"included","type":"wildcard","value":"netsh interface portproxy add *"}],"id":"a1","item_id":"jump-host","list_id":"portproxy-exceptions","name":"Jump host","namespace_type":"single","os_types":["windows"],"tags":["network"],"tie_breaker_id":"77","type":"simple","updated_at":"2024-03-01T10:00:00.000Z","updated_by":"elastic"}"#,
            #"{"comments":[],"description":"","entries":[{"field":"host.name","operator":"included","type":"match_any","value":["LAB-01","LAB-02"]}],"expire_time":"2031-01-01T00:00:00.000Z","id":"a2","item_id":"lab-hosts","list_id":"portproxy-exceptions","name":"Lab hosts","namespace_type":"single","os_types":[],"tags":[],"type":"simple"}"#,
            #"{"exported_exception_list_count":1,"exported_exception_list_item_count":2,"missing_exception_list_item_count":0,"missing_exception_list_items":[],"missing_exception_lists":[],"missing_exception_lists_count":0}"#,
        ].joined(separator: "\n") + "\n"

    static func importExport(_ service: TestService, _ body: String, query: String = "") async throws -> TestHTTPClient.Response {
        try await service.client.request("POST", "/exceptions/_import" + query, json: body, contentType: "application/x-ndjson")
    }

    @Test("import of joined lines names curl -d")
    func joinedLines() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let joined = Self.kibanaExport.replacingOccurrences(of: "\n", with: "")
        let response = try await Self.importExport(service, joined)
        #expect(response.status == 400)
        let problem = try response.json()
        let detail = try #require(problem["detail"] as? String)
        #expect(detail.hasPrefix("Line 1 of the import is not valid JSON: unexpected data after the JSON value."))
        #expect(detail.contains("--data-binary"))
        #expect(problem["line"] as? Int == 1)
        #expect((problem["byte_offset"] as? Int ?? 0) > 0)
    }

    @Test("import stores items and reports dropped fields")
    func importStoresItems() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await Self.importExport(service, Self.kibanaExport)
        #expect(response.status == 200)
        let report = try response.json()
        #expect(report["success"] as? Bool == true)
        #expect(report["success_count"] as? Int == 2)
        #expect(report["success_count_exception_lists"] as? Int == 1)

        let dropped = try #require(report["dropped_fields"] as? [[String: Any]])
        let byLine = Dictionary(uniqueKeysWithValues: dropped.map { ($0["line"] as? Int ?? 0, $0["pointers"] as? [String] ?? []) })
        #expect(byLine[1]?.contains("/name") == true)
        #expect(byLine[2]?.contains("/_version") == true)
        #expect(byLine[2]?.contains("/created_by") == true)
        #expect(byLine[2]?.contains("/tie_breaker_id") == true)
        #expect(byLine[2]?.contains("/name") == false)
        #expect(byLine[2]?.contains("/entries/0/field") == false)

        let list = try await service.client.request("GET", "/exceptions").json()
        #expect(list["total"] as? Int == 2)

        let event = portProxyEvent(id: "imp-1", userName: "netadmin", commandLine: "netsh interface portproxy add v4tov4 listenport=1")
        let evaluated = try await service.client.request("POST", "/evaluate", json: event).json()
        #expect(evaluated["suppressed"] as? Int == 1)
    }

    @Test("round trip keeps understood fields")
    func roundTrip() async throws {
        let service = try await TestService()
        defer { service.stop() }
        _ = try await Self.importExport(service, Self.kibanaExport)

        let export = try await service.client.request("GET", "/exceptions/_export")
        #expect(export.status == 200)
        #expect(export.header("Content-Type") == "application/x-ndjson")
        let lines = String(decoding: export.body, as: UTF8.self).split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(lines.count == 4)
        #expect(lines[0]["list_id"] as? String == "portproxy-exceptions")
        #expect(lines[3]["exported_exception_list_item_count"] as? Int == 2)

        let jumpHost = try #require(lines.first { $0["item_id"] as? String == "jump-host" })
        #expect(jumpHost["name"] as? String == "Jump host")
        #expect(jumpHost["description"] as? String == "jump host")
        #expect(jumpHost["os_types"] as? [String] == ["windows"])
        #expect(jumpHost["tags"] as? [String] == ["network"])
        #expect(jumpHost["list_id"] as? String == "portproxy-exceptions")
        #expect((jumpHost["entries"] as? [[String: Any]])?.count == 2)
        #expect(((jumpHost["comments"] as? [[String: Any]])?.first)?["comment"] as? String == "approved by CAB-42")
        let labHosts = try #require(lines.first { $0["item_id"] as? String == "lab-hosts" })
        #expect(labHosts["expire_time"] as? String == "2031-01-01T00:00:00.000Z")

        // Importing the export into a fresh service gives the same items and drops nothing on them.
        let second = try await TestService()
        defer { second.stop() }
        let report = try await Self.importExport(second, String(decoding: export.body, as: UTF8.self)).json()
        #expect(report["success_count"] as? Int == 2)
        let dropped = try #require(report["dropped_fields"] as? [[String: Any]])
        let itemLines = dropped.filter { ($0["line"] as? Int ?? 0) > 1 }
        let droppedOnItems = Set(itemLines.flatMap { $0["pointers"] as? [String] ?? [] })
        #expect(droppedOnItems == ["/created_at", "/id", "/updated_at"])
    }

    @Test("existing item_id conflicts unless overwrite")
    func conflicts() async throws {
        let service = try await TestService()
        defer { service.stop() }
        _ = try await Self.importExport(service, Self.kibanaExport)

        let again = try await Self.importExport(service, Self.kibanaExport).json()
        #expect(again["success"] as? Bool == false)
        let errors = try #require(again["errors"] as? [[String: Any]])
        #expect(errors.count == 2)
        #expect((errors.first?["error"] as? [String: Any])?["status_code"] as? Int == 409)
        #expect(errors.first?["line"] as? Int == 2)

        let overwritten = try await Self.importExport(service, Self.kibanaExport, query: "?overwrite=true").json()
        #expect(overwritten["success"] as? Bool == true)
        #expect(overwritten["success_count"] as? Int == 2)
        #expect(overwritten["unchanged"] as? Int == 2)
        let list = try await service.client.request("GET", "/exceptions").json()
        #expect(list["total"] as? Int == 2)
    }

    @Test("invalid item reported with pointer")
    func invalidItem() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = #"{"item_id":"bad","name":"bad","type":"simple","entries":[{"field":"user.name","operator":"included","type":"nested"}]}"#
        let report = try await Self.importExport(service, body).json()
        let errors = try #require(report["errors"] as? [[String: Any]])
        #expect(errors.count == 1)
        #expect(errors.first?["pointer"] as? String == "/entries/0/type")
        #expect((errors.first?["error"] as? [String: Any])?["status_code"] as? Int == 422)
    }

    @Test("line that is not JSON is a 400")
    func notJSON() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await Self.importExport(service, "{\"list_id\":\"x\"}\nnot json\n")
        #expect(response.status == 400)
        #expect(try response.json()["line"] as? Int == 2)
    }
}
