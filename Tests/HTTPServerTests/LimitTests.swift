import Testing

@testable import HTTPServer

@Suite("Request size limits")
struct LimitTests {
    static let small = HTTPServerConfiguration(
        maxRequestTargetBytes: 64,
        maxHeaderBytes: 256,
        maxHeaderCount: 5,
        maxBodyBytes: 32
    )

    @Test("POST without length gets 411")
    func lengthRequired() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await exchange(port: server.port, "POST /echo HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(response.status == 411)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.text.contains("Content-Length"))
    }

    @Test("oversized Content-Length gets 413")
    func contentTooLarge() async throws {
        let server = try TestServer.start(Self.small)
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 33\r\n\r\n" + String(repeating: "x", count: 33)
        )
        #expect(response.status == 413)
        #expect(response.text.contains("32 bytes"))
        #expect(response.text.contains("\"max\":32"))
        #expect(response.text.contains("split it into several requests"))
        #expect(closed)
    }

    @Test("body at the limit accepted")
    func bodyAtLimit() async throws {
        let server = try TestServer.start(Self.small)
        defer { server.stop() }

        let body = String(repeating: "x", count: 32)
        let response = try await exchange(port: server.port, "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 32\r\n\r\n" + body)
        #expect(response.status == 200)
        #expect(response.text == body)
    }

    @Test("oversized chunked body gets 413")
    func chunkedTooLarge() async throws {
        let server = try TestServer.start(Self.small)
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n11\r\n"
        )
        #expect(response.status == 413)
        #expect(closed)
    }

    @Test("long request target gets 414")
    func uriTooLong() async throws {
        let server = try TestServer.start(Self.small)
        defer { server.stop() }

        let target = "/" + String(repeating: "a", count: 64)
        let (response, closed) = try await exchangeAndWaitForClose(port: server.port, "GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(response.status == 414)
        #expect(closed)
    }

    @Test("unterminated long request line gets 414")
    func unterminatedRequestLine() async throws {
        let server = try TestServer.start(Self.small)
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "GET /" + String(repeating: "a", count: 500)
        )
        #expect(response.status == 414)
        #expect(closed)
    }

    @Test("large header section gets 431")
    func headerSectionTooLarge() async throws {
        let server = try TestServer.start(Self.small)
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "GET /hello HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 300))\r\n\r\n"
        )
        #expect(response.status == 431)
        #expect(response.text.contains("256 bytes"))
        #expect(closed)
    }

    @Test("too many fields gets 431")
    func tooManyFields() async throws {
        let server = try TestServer.start(Self.small)
        defer { server.stop() }

        let fields = (0..<6).map { "X-\($0): v\r\n" }.joined()
        let (response, closed) = try await exchangeAndWaitForClose(port: server.port, "GET /hello HTTP/1.1\r\nHost: a\r\n\(fields)\r\n")
        #expect(response.status == 431)
        #expect(response.text.contains("more than 5 field lines"))
        #expect(closed)
    }
}
