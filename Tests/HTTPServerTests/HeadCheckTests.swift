import Synchronization
import Testing

@testable import HTTPServer

@Suite("Head check hook")
struct HeadCheckTests {
    /// Rejects requests without `Authorization` with 401 and records the heads it saw.
    final class Gate: Sendable {
        let seen = Mutex<[HTTPRequestHead]>([])
        let handlerRuns = Atomic<Int>(0)

        var check: @Sendable (HTTPRequestHead) -> HTTPResponse? {
            { head in
                self.seen.withLock { $0.append(head) }
                if head.headers["Authorization"] == nil {
                    return .problem(status: 401, detail: "Credentials are missing.")
                }
                return nil
            }
        }
    }

    static func start(_ gate: Gate) throws -> TestServer {
        try TestServer.start(HTTPServerConfiguration(headCheck: gate.check)) { router in
            TestServer.addStandardRoutes(&router)
            router.add(.POST, "/counted") { request in
                gate.handlerRuns.add(1, ordering: .relaxed)
                return HTTPResponse(status: 200, body: request.body)
            }
        }
    }

    @Test("rejection skips the handler")
    func rejectionSkipsHandler() async throws {
        let gate = Gate()
        let server = try Self.start(gate)
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /counted HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
        )
        #expect(response.status == 401)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.header("Connection") == "close")
        #expect(closed)
        #expect(gate.handlerRuns.load(ordering: .relaxed) == 0)
    }

    @Test("rejection without body keeps connection")
    func rejectionWithoutBodyKeepsAlive() async throws {
        let gate = Gate()
        let server = try Self.start(gate)
        defer { server.stop() }

        let statuses = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let first = try client.readResponse()
            try client.write("GET /hello HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer k\r\n\r\n")
            let second = try client.readResponse()
            return [first.status, second.status]
        }
        #expect(statuses == [401, 200])
    }

    @Test("head carries request fields")
    func headFields() async throws {
        let gate = Gate()
        let server = try Self.start(gate)
        defer { server.stop() }

        let response = try await exchange(
            port: server.port,
            "GET /alerts/a%201?x=1 HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer k\r\n\r\n"
        )
        #expect(response.status == 200)
        let head = try #require(gate.seen.withLock { $0.first })
        #expect(head.method == .GET)
        #expect(head.target == "/alerts/a%201?x=1")
        #expect(head.path == "/alerts/a 1")
        #expect(head.routePattern == "/alerts/{id}")
        #expect(head.headers["Authorization"] == "Bearer k")
        #expect(head.remoteAddress.hasPrefix("127.0.0.1:"))
    }

    @Test("unknown route is not checked")
    func unknownRouteNotChecked() async throws {
        let gate = Gate()
        let server = try Self.start(gate)
        defer { server.stop() }

        let response = try await exchange(port: server.port, "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(response.status == 404)
        #expect(gate.seen.withLock { $0.isEmpty })
    }

    @Test("expect gets final status, not 100")
    func expectGetsFinalStatus() async throws {
        let gate = Gate()
        let server = try Self.start(gate)
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        )
        #expect(response.status == 401)
        #expect(closed)
    }

    @Test("expect with credentials gets 100")
    func expectWithCredentials() async throws {
        let gate = Gate()
        let server = try Self.start(gate)
        defer { server.stop() }

        let (interim, final) = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("POST /echo HTTP/1.1\r\nHost: a\r\nAuthorization: k\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            try client.write("ok")
            return (interim, try client.readResponse())
        }
        #expect(interim.status == 100)
        #expect(final.status == 200)
        #expect(final.text == "ok")
    }
}
