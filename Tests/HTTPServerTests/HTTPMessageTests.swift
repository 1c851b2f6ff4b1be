import Testing

@testable import HTTPServer

@Suite("HTTP message values")
struct HTTPMessageTests {
    @Test("fields are case-insensitive")
    func fields() {
        var fields: HTTPFields = ["Content-Type": "text/plain"]
        fields.append("X-Tag", "a")
        fields.append("x-tag", "b")
        #expect(fields["content-type"] == "text/plain")
        #expect(fields.values("X-TAG") == ["a", "b"])

        fields.set("X-Tag", "c")
        #expect(fields.values("x-tag") == ["c"])
        #expect(fields["missing"] == nil)
    }

    @Test("query items decode form encoding")
    func queryItems() {
        let request = HTTPRequest(method: .GET, target: "/alerts?status=open&host.name=a+b&x=%E2%9C%93&flag&bad=%zz", path: "/alerts")
        #expect(request.queryValue("status") == "open")
        #expect(request.queryValue("host.name") == "a b")
        #expect(request.queryValue("x") == "✓")
        #expect(request.queryValue("flag") == "")
        #expect(request.queryValue("bad") == "%zz")
        #expect(request.queryValue("none") == nil)
        #expect(request.queryItems.count == 5)
    }

    @Test("problem body has RFC 9457 members")
    func problem() {
        let response = HTTPResponse.problem(
            status: 400,
            detail: "The parameter 'limit' is not a number.",
            extra: ["parameter": "limit", "line": 3, "status": "ignored"]
        )
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        #expect(
            text
                == "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"The parameter 'limit' is not a number.\",\"line\":3,\"parameter\":\"limit\"}"
        )
    }

    @Test("json response sets content type")
    func json() {
        let response = HTTPResponse.json(201, "{}")
        #expect(response.status == 201)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.body == Array("{}".utf8))
    }

    @Test("HTTP date formats IMF-fixdate")
    func httpDate() {
        #expect(HTTPDate.format(secondsSinceEpoch: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test("serializer drops injected line breaks")
    func serializerSanitizes() {
        let response = HTTPResponse(status: 200, headers: ["X-Note": "a\r\nSet-Cookie: b"])
        let text = String(decoding: ResponseSerializer.serialize(response, isHead: false, persistence: .close, date: "D"), as: UTF8.self)
        // Each CR and LF byte becomes a space, so the value stays on its own field line.
        #expect(text.contains("X-Note: a  Set-Cookie: b\r\n"))
        #expect(!text.contains("\r\nSet-Cookie"))
    }
}
