import Foundation
import Testing

@Suite("JSON request bodies", .serialized)
struct JSONBodyTests {
    @Test("syntax error names its position")
    func syntaxError() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/exceptions", json: "{\"name\": \"x\",\n \"entries\": [}")
        #expect(response.status == 400)
        let problem = try response.json()
        #expect(problem["line"] as? Int == 2)
        #expect(problem["byte_offset"] as? Int == 27)
    }

    @Test("large integers are valid JSON")
    func largeInteger() async throws {
        let service = try await TestService()
        defer { service.stop() }
        // The body parses, so the unknown member holding the integer is what gets reported,
        // not a 400 about the number.
        let body = #"{"status": "closed", "extra": 123456789012345678901234567890}"#
        let response = try await service.client.request("PATCH", "/alerts/unknown", json: body)
        #expect(response.status == 422)
        #expect(try response.json()["pointer"] as? String == "/extra")
    }

    @Test("wrong member type names the pointer")
    func wrongType() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request(
            "POST", "/exceptions", json: #"{"name": "x", "entries": [{"field": 3, "operator": "included", "type": "exists"}]}"#)
        #expect(response.status == 422)
        #expect(try response.json()["pointer"] as? String == "/entries/0/field")
    }
}
