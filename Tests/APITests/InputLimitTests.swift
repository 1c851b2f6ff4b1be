import Foundation
import Testing

/// Each input limit of request bodies below, at and above it, through HTTP.
@Suite("Input limits", .serialized)
struct InputLimitTests {
    static let mebibyte = 1 << 20

    func evaluate(_ body: [UInt8], _ service: TestService, contentType: String = "application/json") async throws -> TestHTTPClient.Response {
        try await service.client.request("POST", "/evaluate?dry_run=true", body: body, headers: ["Content-Type": contentType])
    }

    func event(value: String) -> [UInt8] {
        Array(#"{"event":{"category":"registry"},"message":\#(value)}"#.utf8)
    }

    /// Checks a 400 whose problem body names `limit` (and `max` when given) and the position.
    func expectRejected(_ response: TestHTTPClient.Response, limit: String, max: Int?, byteOffset: Int, line: Int = 1, _ comment: Comment) throws {
        #expect(response.status == 400, comment)
        let problem = try response.json()
        #expect(problem["limit"] as? String == limit, comment)
        #expect(problem["max"] as? Int == max, comment)
        #expect(problem["byte_offset"] as? Int == byteOffset, comment)
        #expect(problem["line"] as? Int == line, comment)
        #expect((problem["detail"] as? String)?.contains(limit) == true, comment)
    }

    @Test("nesting depth 128")
    func depth() async throws {
        let service = try await TestService()
        defer { service.stop() }
        // The event object is level 1, so n brackets inside it make n + 1 levels.
        for levels in [127, 128] {
            let body = "{\"a\":" + String(repeating: "[", count: levels - 1) + String(repeating: "]", count: levels - 1) + "}"
            #expect(try await evaluate(Array(body.utf8), service).status == 200, "\(levels) levels")
        }
        let body = "{\"a\":" + String(repeating: "[", count: 128) + String(repeating: "]", count: 128) + "}"
        try expectRejected(try await evaluate(Array(body.utf8), service), limit: "max_depth", max: 128, byteOffset: 5 + 127, "129 levels")
        // Objects around a value, which simdjson alone counts one level deeper than empty arrays.
        let objects = String(repeating: #"{"a":"#, count: 128) + "1" + String(repeating: "}", count: 128)
        #expect(try await evaluate(Array(objects.utf8), service).status == 200, "128 levels of objects")
    }

    @Test("number out of range in one array element")
    func numberRangeInArray() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = "[\(portProxyEvent(id: "range-1")),{\"n\":123456789012345678901234567890},\(portProxyEvent(id: "range-2"))]"
        let response = try await service.client.request("POST", "/evaluate", json: body)
        #expect(response.status == 200)
        let json = try response.json()
        #expect(json["alerts_created"] as? Int == 2)
        #expect(json["invalid"] as? Int == 1)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.map { $0["result"] as? String } == ["alert", "invalid", "alert"])
        #expect((results[1]["reason"] as? String)?.contains("does not fit in 64 bits") == true)
    }

    @Test("string length 1 MiB")
    func stringLength() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let prefixLength = event(value: "").count
        for length in [Self.mebibyte - 1, Self.mebibyte] {
            let response = try await evaluate(event(value: "\"" + String(repeating: "x", count: length) + "\""), service)
            #expect(response.status == 200, "\(length) bytes")
        }
        let above = try await evaluate(event(value: "\"" + String(repeating: "x", count: Self.mebibyte + 1) + "\""), service)
        try expectRejected(above, limit: "max_string_bytes", max: Self.mebibyte, byteOffset: prefixLength - 1, "1 MiB + 1")

        // Escapes count as the bytes they stand for: é is 2 bytes, the emoji pair 4.
        let escapedAt = "\"" + String(repeating: "x", count: Self.mebibyte - 6) + #"\u00e9\ud83d\ude00""#
        #expect(try await evaluate(event(value: escapedAt), service).status == 200)
        let escapedAbove = "\"" + String(repeating: "x", count: Self.mebibyte - 5) + #"\u00e9\ud83d\ude00""#
        #expect(try await evaluate(event(value: escapedAbove), service).status == 400)

        let longKey = Array(("{\"" + String(repeating: "k", count: Self.mebibyte + 1) + "\":1}").utf8)
        try expectRejected(try await evaluate(longKey, service), limit: "max_string_bytes", max: Self.mebibyte, byteOffset: 1, "long key")
    }

    @Test("string length on an NDJSON line")
    func stringLengthNDJSON() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let long = String(decoding: event(value: "\"" + String(repeating: "x", count: Self.mebibyte + 1) + "\""), as: UTF8.self)
        let body = #"{"event":{"id":"short"}}"# + "\n" + long + "\n"
        let response = try await evaluate(Array(body.utf8), service, contentType: "application/x-ndjson")
        #expect(response.status == 200)
        let results = try #require(try response.json()["results"] as? [[String: Any]])
        #expect(results[0]["result"] as? String == "no_match")
        #expect(results[1]["result"] as? String == "invalid")
        let column = event(value: "").count
        #expect(results[1]["reason"] as? String == "string longer than 1048576 bytes at column \(column)")
    }

    @Test("string length in an exception item")
    func stringLengthException() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let body = #"{"name":""# + String(repeating: "n", count: Self.mebibyte + 1) + #"","entries":[]}"#
        let response = try await service.client.request("POST", "/exceptions", json: body)
        try expectRejected(response, limit: "max_string_bytes", max: Self.mebibyte, byteOffset: 8, "exception name")
    }

    @Test("events per request 100000")
    func eventCount() async throws {
        let service = try await TestService()
        defer { service.stop() }
        for count in [99_999, 100_000] {
            let body = "[" + Array(repeating: "{}", count: count).joined(separator: ",") + "]"
            let response = try await evaluate(Array(body.utf8), service)
            #expect(response.status == 200, "\(count) events")
            #expect(try response.json()["evaluated"] as? Int == count, "\(count) events")
        }
        let body = "[" + Array(repeating: "{}", count: 100_001).joined(separator: ",") + "]"
        try expectRejected(try await evaluate(Array(body.utf8), service), limit: "max_events", max: 100_000, byteOffset: 0, "100001 events")

        let lines = Array(repeating: "{}", count: 100_001).joined(separator: "\n")
        try expectRejected(
            try await evaluate(Array(lines.utf8), service, contentType: "application/x-ndjson"),
            limit: "max_events", max: 100_000, byteOffset: 3 * 100_000, line: 100_001, "100001 NDJSON lines")
    }

    @Test("UTF-8 up to U+10FFFF")
    func utf8() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let prefix = Array(#"{"event":{"category":"registry"},"message":""#.utf8)
        for valid: [UInt8] in [[0xEF, 0xBF, 0xBD], [0xF4, 0x8F, 0xBF, 0xBE], [0xF4, 0x8F, 0xBF, 0xBF]] {
            let body = prefix + valid + Array(#""}"#.utf8)
            #expect(try await evaluate(body, service).status == 200, "\(valid)")
        }
        // U+110000, an overlong '/', a UTF-16 surrogate and a byte that never occurs in UTF-8.
        for invalid: [UInt8] in [[0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF]] {
            let body = prefix + invalid + Array(#""}"#.utf8)
            try expectRejected(try await evaluate(body, service), limit: "utf8", max: nil, byteOffset: prefix.count, "\(invalid)")
        }
    }

    @Test("numbers within 64 bits and finite")
    func numbers() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let offset = event(value: "").count - 1
        for accepted in [
            "18446744073709551614", "18446744073709551615", "-9223372036854775807", "-9223372036854775808", "1.7976931348623157e308", "-1.7976931348623157e308",
            "5e-324",
        ] {
            #expect(try await evaluate(event(value: accepted), service).status == 200, "\(accepted)")
        }
        for rejected in ["18446744073709551616", "-9223372036854775809", "1.8e308", "-1e400"] {
            try expectRejected(try await evaluate(event(value: rejected), service), limit: "number_range", max: nil, byteOffset: offset, "\(rejected)")
        }
    }
}
