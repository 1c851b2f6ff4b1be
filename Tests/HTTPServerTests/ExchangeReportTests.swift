import Testing

@testable import HTTPServer

@Suite("Exchange reports")
struct ExchangeReportTests {
    @Test("handled request is reported")
    func handledRequest() async throws {
        let recorder = ExchangeRecorder()
        let server = try TestServer.start(HTTPServerConfiguration(onResponse: recorder.handler))
        defer { server.stop() }

        let request = "POST /echo HTTP/1.1\r\nHost: a\r\nX-Request-Id: r-1\r\nContent-Length: 5\r\n\r\nhello"
        let (response, responseBytes) = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write(request)
            let response = try client.readResponse()
            return (response, client.receivedBytes)
        }
        #expect(response.status == 200)

        let exchanges = try await recorder.waitFor(1)
        let exchange = try #require(exchanges.first)
        #expect(exchange.method == .POST)
        #expect(exchange.path == "/echo")
        #expect(exchange.routePattern == "/echo")
        #expect(exchange.status == 200)
        #expect(exchange.requestBytes == request.utf8.count)
        #expect(exchange.responseBytes == responseBytes)
        #expect(exchange.requestID == "r-1")
        #expect(exchange.remoteAddress.hasPrefix("127.0.0.1:"))
        #expect(exchange.duration >= .zero)
    }

    @Test("route pattern, not path, for parameters")
    func routePattern() async throws {
        let recorder = ExchangeRecorder()
        let server = try TestServer.start(HTTPServerConfiguration(onResponse: recorder.handler))
        defer { server.stop() }

        _ = try await exchange(port: server.port, "GET /alerts/42 HTTP/1.1\r\nHost: a\r\n\r\n")
        let exchange = try #require(try await recorder.waitFor(1).first)
        #expect(exchange.path == "/alerts/42")
        #expect(exchange.routePattern == "/alerts/{id}")
    }

    @Test("unmatched and rejected requests")
    func unmatchedAndRejected() async throws {
        let recorder = ExchangeRecorder()
        let server = try TestServer.start(HTTPServerConfiguration(onResponse: recorder.handler))
        defer { server.stop() }

        let notFound = try await exchange(port: server.port, "GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n")
        let notFoundReport = try #require(try await recorder.waitFor(1).last)
        #expect(notFoundReport.status == 404)
        #expect(notFoundReport.routePattern == nil)
        #expect(notFoundReport.path == "/nowhere")
        #expect(notFoundReport.requestID == notFound.header("X-Request-Id"))

        _ = try await exchange(port: server.port, "BAD REQUEST\r\n\r\n")
        let malformed = try #require(try await recorder.waitFor(2).last)
        #expect(malformed.status == 400)
        #expect(malformed.method.rawValue == "")
        #expect(malformed.path == "")
        #expect(malformed.requestBytes == "BAD REQUEST\r\n\r\n".utf8.count)

        _ = try await exchange(port: server.port, "GET /hello HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n")
        let badField = try #require(try await recorder.waitFor(3).last)
        #expect(badField.status == 400)
        #expect(badField.method == .GET)
        #expect(badField.path == "/hello")
        #expect(badField.routePattern == nil)

        _ = try await exchange(port: server.port, "POST /echo HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let lengthRequired = try #require(try await recorder.waitFor(4).last)
        #expect(lengthRequired.status == 411)
        #expect(lengthRequired.path == "/echo")
        #expect(lengthRequired.routePattern == "/echo")
    }

    @Test("each pipelined request is reported")
    func pipelined() async throws {
        let recorder = ExchangeRecorder()
        let server = try TestServer.start(HTTPServerConfiguration(onResponse: recorder.handler))
        defer { server.stop() }

        try await onThread {
            let client = try RawClient(port: server.port)
            try client.write(
                "GET /hello HTTP/1.1\r\nHost: a\r\nX-Request-Id: p-1\r\n\r\n"
                    + "GET /alerts/2 HTTP/1.1\r\nHost: a\r\nX-Request-Id: p-2\r\n\r\n"
            )
            _ = try client.readResponse()
            _ = try client.readResponse()
        }
        let exchanges = try await recorder.waitFor(2)
        #expect(exchanges.map(\.requestID) == ["p-1", "p-2"])
        #expect(exchanges.map(\.routePattern) == ["/hello", "/alerts/{id}"])
    }

    @Test("open connections are counted")
    func openConnectionCount() async throws {
        let server = try TestServer.start()
        defer { server.stop() }
        #expect(server.server.openConnectionCount == 0)

        let counts = try await onThread {
            let clients = try (0..<3).map { _ in try RawClient(port: server.port) }
            for client in clients {
                try client.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                _ = try client.readResponse()
            }
            let whileOpen = server.server.openConnectionCount
            for client in clients {
                client.shutdownOutput()
                _ = client.waitForClose()
            }
            return whileOpen
        }
        #expect(counts == 3)

        var remaining = server.server.openConnectionCount
        for _ in 0..<200 where remaining > 0 {
            try await Task.sleep(for: .milliseconds(10))
            remaining = server.server.openConnectionCount
        }
        #expect(remaining == 0)
    }
}
