import Testing

@testable import HTTPServer

@Suite("Expect: 100-continue")
struct ExpectContinueTests {
    @Test("accepted request gets 100 Continue")
    func continueAccepted() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (interim, final) = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            try client.write("hello")
            return (interim, try client.readResponse())
        }
        #expect(interim.status == 100)
        #expect(interim.reason == "Continue")
        #expect(final.status == 200)
        #expect(final.text == "hello")
    }

    @Test("too large body gets 413 at once")
    func continueRejectedTooLarge() async throws {
        let server = try TestServer.start(HTTPServerConfiguration(maxBodyBytes: 16))
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n"
        )
        #expect(response.status == 413)
        #expect(response.header("Connection") == "close")
        #expect(closed)
    }

    @Test("unknown route gets 404 without 100")
    func continueRejectedNotFound() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /nowhere HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        )
        #expect(response.status == 404)
        #expect(closed)
    }

    @Test("unknown expectation gets 417")
    func unknownExpectation() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 200-ok\r\n\r\n"
        )
        #expect(response.status == 417)
        #expect(response.text.contains("200-ok"))
        #expect(closed)
    }
}
