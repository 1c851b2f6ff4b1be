import Testing

@testable import HTTPServer

@Suite("Request ids")
struct RequestIDTests {
    static func isGenerated(_ id: String?) -> Bool {
        guard let id else { return false }
        return id.utf8.count == 32
            && id.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    @Test("client id is echoed and passed on")
    func clientIDEchoed() async throws {
        let server = try TestServer.start { router in
            router.add(.GET, "/id") { request in HTTPResponse(status: 200, body: Array(request.requestID.utf8)) }
        }
        defer { server.stop() }

        let response = try await exchange(port: server.port, "GET /id HTTP/1.1\r\nHost: a\r\nX-Request-Id: shipper-42.abc\r\n\r\n")
        #expect(response.header("X-Request-Id") == "shipper-42.abc")
        #expect(response.text == "shipper-42.abc")
    }

    @Test("missing id is generated")
    func missingIDGenerated() async throws {
        let server = try TestServer.start { router in
            router.add(.GET, "/id") { request in HTTPResponse(status: 200, body: Array(request.requestID.utf8)) }
        }
        defer { server.stop() }

        let response = try await exchange(port: server.port, "GET /id HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(Self.isGenerated(response.header("X-Request-Id")))
        #expect(response.text == response.header("X-Request-Id"))
    }

    @Test("invalid client ids are replaced")
    func invalidIDsReplaced() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let invalid = [String(repeating: "a", count: 129), "has space", "caf\u{e9}", ""]
        for value in invalid {
            let response = try await exchange(port: server.port, "GET /hello HTTP/1.1\r\nHost: a\r\nX-Request-Id: \(value)\r\n\r\n")
            #expect(Self.isGenerated(response.header("X-Request-Id")), "value \(value)")
        }
        let longest = String(repeating: "b", count: 128)
        let response = try await exchange(port: server.port, "GET /hello HTTP/1.1\r\nHost: a\r\nX-Request-Id: \(longest)\r\n\r\n")
        #expect(response.header("X-Request-Id") == longest)
    }

    @Test("ids differ between requests")
    func idsDiffer() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let ids = try await onThread {
            let client = try RawClient(port: server.port)
            return try (0..<3).map { _ in
                try client.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                return try client.readResponse().header("X-Request-Id") ?? ""
            }
        }
        #expect(Set(ids).count == 3)
    }

    @Test("server errors carry an id")
    func serverErrorsCarryID() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let malformed = try await exchange(port: server.port, "GET /hello HTTP/1.1\r\nHost a\r\n\r\n")
        #expect(malformed.status == 400)
        #expect(Self.isGenerated(malformed.header("X-Request-Id")))

        let notFound = try await exchange(port: server.port, "GET /nowhere HTTP/1.1\r\nHost: a\r\nX-Request-Id: lost-1\r\n\r\n")
        #expect(notFound.status == 404)
        #expect(notFound.header("X-Request-Id") == "lost-1")

        let framing = try await exchange(port: server.port, "POST /echo HTTP/1.1\r\nHost: a\r\nX-Request-Id: big-1\r\nContent-Length: x\r\n\r\n")
        #expect(framing.status == 400)
        #expect(framing.header("X-Request-Id") == "big-1")
    }

    @Test("rejection log line has the id")
    func rejectionLogged() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await exchange(port: server.port, "POST /echo HTTP/1.1\r\nHost: a\r\nX-Request-Id: log-7\r\nTransfer-Encoding: gzip\r\n\r\n")
        #expect(response.status == 400)
        let lines = server.logSink.lines.filter { $0.contains("Request rejected") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("request_id=log-7") == true)
    }

    @Test("generator is repeatable per seed")
    func generatorRepeatable() {
        var first = RequestIDGenerator(seed: 7)
        var second = RequestIDGenerator(seed: 7)
        var other = RequestIDGenerator(seed: 8)
        let id = first.nextID()
        #expect(id == second.nextID())
        #expect(id != other.nextID())
        #expect(Self.isGenerated(id))
        #expect(first.nextID() != id)
    }

    @Test("accepted ids are visible ASCII")
    func acceptedIDs() {
        #expect(RequestID.accepted("a") == "a")
        #expect(RequestID.accepted("~!#") == "~!#")
        #expect(RequestID.accepted(nil) == nil)
        #expect(RequestID.accepted("") == nil)
        #expect(RequestID.accepted("a\tb") == nil)
        #expect(RequestID.accepted("a\u{7F}") == nil)
        #expect(RequestID.accepted(String(repeating: "x", count: 129)) == nil)
    }
}
