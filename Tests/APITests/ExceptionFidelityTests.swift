import Foundation
import Testing

/// Exception items compared with what Kibana and Elasticsearch 8.x do with the same item.
@Suite("Exception fidelity through HTTP", .serialized)
struct ExceptionFidelityTests {
    /// Posts `events` as NDJSON and returns each result's `result` member.
    static func results(of events: [String], service: TestService) async throws -> [String] {
        let body = events.joined(separator: "\n")
        let response = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson").json()
        let results = try #require(response["results"] as? [[String: Any]])
        return results.map { $0["result"] as? String ?? "" }
    }

    @Test("case_insensitive keeps non-ASCII case")
    func caseInsensitiveASCIIOnly() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"""
            {"name":"José's lab","entries":[
              {"field":"user.name","operator":"included","type":"match","value":"JOSÉ","case_insensitive":true}]}
            """#
        #expect(try await service.client.request("POST", "/exceptions", json: item).status == 201)

        let events = [
            portProxyEvent(id: "ascii-1", userName: "JOSÉ"),
            portProxyEvent(id: "ascii-2", userName: "josÉ"),
            portProxyEvent(id: "ascii-3", userName: "josé"),
        ]
        let results = try await Self.results(of: events, service: service)
        #expect(results == ["suppressed", "suppressed", "alert"])
    }

    @Test("wrong value type names the entry type")
    func wrongValueType() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let cases: [(entry: String, pointer: String, expected: String)] = [
            (#"{"field":"process.pid","type":"match","operator":"included","value":1234}"#, "/entries/0/value", "a match entry needs one non-empty string"),
            (
                #"{"field":"user.name","type":"wildcard","operator":"included","value":["a*"]}"#, "/entries/0/value",
                "a wildcard entry needs one non-empty string"
            ),
            (#"{"field":"user.name","type":"match_any","operator":"included","value":"admin"}"#, "/entries/0/value", "a match_any entry needs an array"),
            (#"{"field":"user.name","type":"match_any","operator":"included","value":["a",7]}"#, "/entries/0/value/1", "found the number 7 at index 1"),
            (#"{"field":"user.name","type":"exists","operator":"included","value":false}"#, "/entries/0/value", "an exists entry takes no value"),
            (#"{"field":"user.name","type":"list","operator":"included","value":["a"]}"#, "/entries/0/value", "a list entry takes no value"),
        ]
        for (entry, pointer, expected) in cases {
            let response = try await service.client.request("POST", "/exceptions", json: #"{"name":"n","entries":[\#(entry)]}"#)
            #expect(response.status == 422, "\(entry)")
            let problem = try response.json()
            #expect(problem["pointer"] as? String == pointer, "\(entry)")
            let detail = problem["detail"] as? String ?? ""
            #expect(detail.contains(expected), "\(detail)")
            #expect(!detail.contains("expected an array"), "\(detail)")
        }
        let pid = try await service.client.request(
            "POST", "/exceptions", json: #"{"name":"n","entries":[{"field":"process.pid","type":"match","operator":"included","value":1234}]}"#
        ).json()
        #expect(
            pid["detail"] as? String
                == #"The value at /entries/0/value is invalid: a match entry needs one non-empty string as its value, such as "netadmin"; found the number 1234. Write it as the string "1234"."#
        )
    }

    @Test("import reports a wrong value type")
    func importWrongValueType() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let line = #"{"item_id":"pid","name":"pid","type":"simple","entries":[{"field":"process.pid","operator":"included","type":"match","value":1234}]}"#
        let response = try await service.client.request(
            "POST", "/exceptions/_import", json: line + "\n", contentType: "application/x-ndjson")
        let report = try response.json()
        let errors = try #require(report["errors"] as? [[String: Any]])
        #expect(errors.count == 1)
        #expect(errors.first?["pointer"] as? String == "/entries/0/value")
        let message = (errors.first?["error"] as? [String: Any])?["message"] as? String ?? ""
        #expect(message.contains("a match entry needs one non-empty string as its value"), "\(message)")
        #expect(message.contains(#"Write it as the string "1234""#), "\(message)")
    }

    @Test("caseless field matches with a warning")
    func caselessField() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"""
            {"name":"netsh by path","entries":[
              {"field":"process.executable.caseless","operator":"included","type":"match",
               "value":"c:\\windows\\system32\\netsh.exe"}]}
            """#
        let created = try await service.client.request("POST", "/exceptions", json: item)
        #expect(created.status == 201)
        let warnings = try #require(try created.json()["warnings"] as? [[String: Any]])
        let fieldWarning = warnings.first { $0["pointer"] as? String == "/entries/0/field" }
        let message = fieldWarning?["message"] as? String ?? ""
        #expect(message.hasPrefix("process.executable.caseless is read as process.executable"), "\(warnings)")

        // portProxyEvent writes C:\Windows\System32\netsh.exe.
        let results = try await Self.results(of: [portProxyEvent(id: "caseless-1")], service: service)
        #expect(results == ["suppressed"])
    }

    @Test("exists on an object field")
    func existsOnObject() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"""
            {"name":"has a parent process","entries":[
              {"field":"process.parent","operator":"included","type":"exists"}]}
            """#
        #expect(try await service.client.request("POST", "/exceptions", json: item).status == 201)

        func event(id: String, parent: Any?) -> String {
            var object = try! JSONSerialization.jsonObject(with: Data(portProxyEvent(id: id).utf8)) as! [String: Any]
            var process = object["process"] as! [String: Any]
            process["parent"] = parent
            object["process"] = process
            return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let events = [
            event(id: "exists-1", parent: ["name": "cmd.exe"]),
            event(id: "exists-2", parent: ["name": NSNull()]),
            event(id: "exists-3", parent: [String: Any]()),
            event(id: "exists-4", parent: nil),
            event(id: "exists-5", parent: [["pid": 4]]),
        ]
        let results = try await Self.results(of: events, service: service)
        #expect(results == ["suppressed", "alert", "alert", "alert", "suppressed"])
    }

    @Test("explain shows the os_types test")
    func explainOSTypes() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"""
            {"name":"Windows admin","os_types":["windows"],"entries":[
              {"field":"user.name","operator":"included","type":"match","value":"netadmin"}]}
            """#
        #expect(try await service.client.request("POST", "/exceptions", json: item).status == 201)

        // portProxyEvent writes host.os.type "windows".
        let event = portProxyEvent(id: "os-types-1", userName: "netadmin")
        let response = try await service.client.request("POST", "/evaluate?explain=true&dry_run=true", json: event).json()
        let result = try #require((response["results"] as? [[String: Any]])?.first)
        #expect(result["result"] as? String == "suppressed")
        let exception = try #require((result["explain"] as? [String: Any])?["exception"] as? [String: Any])
        let osTypes = try #require(exception["os_types"] as? [String: Any])
        #expect(osTypes["listed"] as? [String] == ["windows"])
        #expect(osTypes["field"] as? String == "host.os.type")
        #expect(osTypes["held"] as? Bool == true)
        #expect(osTypes["values"] as? [String] == ["windows"])
    }
}
