import Foundation
import Testing

/// A Sysmon registry event that the rule matches, as Winlogbeat's sysmon pipeline writes it,
/// optionally with the user and command line that exceptions look at.
func portProxyEvent(id: String, userName: String? = nil, commandLine: String? = nil) -> String {
    var process: [String: Any] = ["executable": "C:\\Windows\\System32\\netsh.exe", "name": "netsh.exe", "pid": 4242]
    if let commandLine { process["command_line"] = commandLine }
    var event: [String: Any] = [
        "@timestamp": "2024-03-01T10:00:00.000Z",
        "event": ["id": id, "category": ["configuration", "registry"], "type": ["change"], "action": "RegistryEvent (Value Set)"],
        "host": ["name": "WKS-01", "os": ["type": "windows"]],
        "process": process,
        "registry": [
            "path": "HKLM\\System\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/8443",
            "data": ["strings": ["192.0.2.10/3389"], "type": "SZ"],
        ],
    ]
    if let userName { event["user"] = ["name": userName] }
    let data = try! JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

@Suite("POST /evaluate", .serialized)
struct EvaluateTests {
    @Test("single object, array and search hits")
    func bodyShapes() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let event = portProxyEvent(id: "shape-1")

        let single = try await service.client.request("POST", "/evaluate", json: event).json()
        #expect(single["alerts_created"] as? Int == 1)

        let array = try await service.client.request("POST", "/evaluate", json: "[\(event), 42, \(portProxyEvent(id: "shape-2"))]").json()
        #expect(array["invalid"] as? Int == 1)
        #expect(array["duplicates"] as? Int == 1)
        #expect(array["alerts_created"] as? Int == 1)
        let results = try #require(array["results"] as? [[String: Any]])
        #expect(results[1]["index"] as? Int == 1)
        #expect(results[1]["result"] as? String == "invalid")

        let hits =
            #"{"hits":{"hits":[{"_index":"winlogbeat-8.17.0-2024.03.01","_id":"abc","_source":\#(portProxyEvent(id: "shape-3"))},{"_index":"other-index","_id":"def","_source":\#(portProxyEvent(id: "shape-4"))}]}}"#
        let search = try await service.client.request("POST", "/evaluate", json: hits).json()
        #expect(search["alerts_created"] as? Int == 1)
        #expect(search["out_of_scope"] as? Int == 1)
    }

    @Test("bad NDJSON line leaves the rest evaluated")
    func badLine() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = portProxyEvent(id: "nd-1") + "\n{not json\n" + portProxyEvent(id: "nd-2") + "\n"
        let response = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson")
        #expect(response.status == 200)
        let json = try response.json()
        #expect(json["invalid"] as? Int == 1)
        #expect(json["alerts_created"] as? Int == 2)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results[1]["line"] as? Int == 2)
        #expect(results[1]["result"] as? String == "invalid")
    }

    @Test("NDJSON sent as one line gets a hint")
    func strippedNewlines() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = portProxyEvent(id: "one-line-1") + portProxyEvent(id: "one-line-2")
        let response = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson")
        #expect(response.status == 400)
        let problem = try response.json()
        #expect((problem["detail"] as? String)?.contains("--data-binary") == true)
        #expect(problem["line"] as? Int == 1)

        // With a third line, the merged line is one invalid item among valid ones.
        let longer = body + "\n" + portProxyEvent(id: "one-line-3")
        let mixed = try await service.client.request("POST", "/evaluate", json: longer, contentType: "application/x-ndjson").json()
        let results = try #require(mixed["results"] as? [[String: Any]])
        #expect(results.map { $0["result"] as? String } == ["invalid", "alert"])
        #expect((results.first?["reason"] as? String)?.contains("--data-binary") == true)
    }

    @Test("time note on the alert, not on its duplicate")
    func timestampNoteOnce() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let event = portProxyEvent(id: "no-time-1").replacingOccurrences(of: #""@timestamp":"2024-03-01T10:00:00.000Z","#, with: "")
        #expect(!event.contains("@timestamp"))
        let first = try await service.client.request("POST", "/evaluate", json: event).json()
        let firstResult = try #require((first["results"] as? [[String: Any]])?.first)
        #expect(firstResult["result"] as? String == "alert")
        #expect(firstResult["note"] as? String == "the event has neither event.ingested nor @timestamp; the receive time was used")

        let second = try await service.client.request("POST", "/evaluate", json: event).json()
        let secondResult = try #require((second["results"] as? [[String: Any]])?.first)
        #expect(secondResult["result"] as? String == "duplicate")
        #expect(secondResult["note"] == nil)
    }

    @Test("search response on an NDJSON line is invalid")
    func responseOnLine() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = #"{"hits":{"hits":[{"_index":"logs","_id":"1","_source":\#(portProxyEvent(id: "in-response"))}]}}"#
        let body = response + "\n" + portProxyEvent(id: "after-response")
        let json = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson").json()
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.map { $0["result"] as? String } == ["invalid", "alert"])
        #expect((results.first?["reason"] as? String)?.contains("send the response alone as a JSON body") == true)
    }

    @Test("NDJSON sent as JSON gets a hint")
    func ndjsonAsJSON() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = portProxyEvent(id: "as-json-1") + "\n" + portProxyEvent(id: "as-json-2")
        let response = try await service.client.request("POST", "/evaluate", json: body)
        #expect(response.status == 400)
        let detail = try response.json()["detail"] as? String
        #expect(detail?.contains("Content-Type: application/x-ndjson") == true)
        #expect(detail?.contains("several JSON values") == true)
    }

    @Test("invalid JSON gets a 400 problem")
    func invalidJSON() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/evaluate", json: "{\"event\": {\"category\": [\"registry\",]}}")
        #expect(response.status == 400)
        #expect(response.header("Content-Type") == "application/problem+json")
        let problem = try response.json()
        #expect(problem["status"] as? Int == 400)
        #expect(problem["byte_offset"] as? Int != nil)
        #expect((problem["detail"] as? String)?.contains("not valid") == true)
    }

    @Test("scalar body gets a 400 problem", arguments: [("42", 0), ("\"x\"", 0), ("true", 0), (" \n null", 3)])
    func scalarBody(body: String, offset: Int) async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/evaluate", json: body)
        #expect(response.status == 400)
        #expect(response.header("Content-Type") == "application/problem+json")
        let problem = try response.json()
        #expect(problem["byte_offset"] as? Int == offset)
        let detail = try #require(problem["detail"] as? String)
        #expect(detail.contains("expected one event object, an array of event objects or NDJSON lines of objects"))
    }

    @Test("one-line NDJSON scalar gets 400")
    func scalarNDJSONBody() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/evaluate", json: "\"x\"\n", contentType: "application/x-ndjson")
        #expect(response.status == 400)
        let problem = try response.json()
        #expect(problem["byte_offset"] as? Int == 0)
        #expect(problem["line"] as? Int == 1)
    }

    @Test("NDJSON scalar line stays invalid result")
    func scalarNDJSONLine() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = portProxyEvent(id: "scalar-line-1") + "\n42\n"
        let response = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson")
        #expect(response.status == 200)
        let json = try response.json()
        #expect(json["alerts_created"] as? Int == 1)
        #expect(json["invalid"] as? Int == 1)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results[1]["line"] as? Int == 2)
        #expect(results[1]["result"] as? String == "invalid")
    }

    @Test("form-encoded body gets 415")
    func formEncoded() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/evaluate", json: portProxyEvent(id: "f"), contentType: "application/x-www-form-urlencoded")
        #expect(response.status == 415)
    }

    @Test("unknown route gets 404")
    func unknownRoute() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("GET", "/nothing-here")
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/problem+json")
    }

    @Test("wrong method gets 405 with Allow")
    func wrongMethod() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("DELETE", "/evaluate")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "POST")
    }

    @Test("max_signals caps new alerts per request")
    func maxSignals() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = (0..<105).map { portProxyEvent(id: "cap-\($0)") }.joined(separator: "\n")

        let first = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson").json()
        #expect(first["matched"] as? Int == 105)
        #expect(first["alerts_created"] as? Int == 100)
        #expect(first["not_persisted"] as? Int == 5)
        #expect((first["warnings"] as? [String])?.count == 1)

        let second = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson").json()
        #expect(second["alerts_created"] as? Int == 5)
        #expect(second["duplicates"] as? Int == 100)
        #expect(second["not_persisted"] as? Int == 0)
    }
}
