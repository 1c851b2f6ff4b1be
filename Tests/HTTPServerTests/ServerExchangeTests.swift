import Testing

@testable import HTTPServer

@Suite("Server request and response exchange")
struct ServerExchangeTests {
    @Test("simple GET returns body")
    func simpleGet() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.status == 200)
        #expect(response.reason == "OK")
        #expect(response.text == "hello")
        #expect(response.header("Content-Length") == "5")
        #expect(response.header("Date")?.hasSuffix(" GMT") == true)
        #expect(response.header("Keep-Alive") == "timeout=60")
        #expect(response.header("Connection") == nil)
    }

    @Test("keep-alive serves several requests")
    func keepAlive() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let statuses = try await onThread {
            let client = try RawClient(port: server.port)
            var statuses: [Int] = []
            for _ in 0..<3 {
                try client.write("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n")
                statuses.append(try client.readResponse().status)
            }
            try client.write("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let last = try client.readResponse()
            statuses.append(last.status)
            #expect(last.header("Connection") == "close")
            #expect(client.waitForClose())
            return statuses
        }
        #expect(statuses == [200, 200, 200, 200])
    }

    @Test("pipelined requests in one write")
    func pipelinedInOneWrite() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let bodies = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write(
                "GET /alerts/1 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody"
                    + "GET /alerts/3 HTTP/1.1\r\nHost: a\r\n\r\n"
            )
            return try (0..<3).map { _ in try client.readResponse().text }
        }
        #expect(bodies == ["{\"id\":\"1\"}", "body", "{\"id\":\"3\"}"])
    }

    @Test("repeated and changed targets on one connection")
    func repeatedTargets() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let responses = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write(
                "GET /alerts/1 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /alerts/1 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "PATCH /alerts/1 HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"
                    + "GET /alerts/2 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "DELETE /alerts/2 HTTP/1.1\r\nHost: a\r\n\r\n"
            )
            return try (0..<5).map { _ in try client.readResponse() }
        }
        #expect(responses.map(\.text).prefix(4) == ["{\"id\":\"1\"}", "{\"id\":\"1\"}", "{\"patched\":\"1\"}", "{\"id\":\"2\"}"])
        #expect(responses[4].status == 405)
    }

    @Test("pipelined requests byte by byte")
    func pipelinedByteByByte() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let bodies = try await onThread {
            let client = try RawClient(port: server.port)
            try client.writeByteByByte(
                "GET /alerts/1 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n"
                    + "GET /alerts/3 HTTP/1.1\r\nHost: a\r\n\r\n"
            )
            return try (0..<3).map { _ in try client.readResponse().text }
        }
        #expect(bodies == ["{\"id\":\"1\"}", "body", "{\"id\":\"3\"}"])
    }

    @Test("slow handler keeps pipelined order")
    func pipelinedOrderWithSlowHandler() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let bodies = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            return try (0..<2).map { _ in try client.readResponse().text }
        }
        #expect(bodies == ["slow", "hello"])
    }

    @Test("chunked body with extensions and trailers")
    func chunkedWithExtensionsAndTrailers() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write(
                "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
                    + "5;name=value;flag\r\nhello\r\n"
                    + "7 ; ext=\"quoted\"\r\n, world\r\n"
                    + "0\r\nX-Checksum: 1234\r\nX-Other: yes\r\n\r\n"
            )
            return try client.readResponse()
        }
        #expect(response.status == 200)
        #expect(response.text == "hello, world")
    }

    @Test("large body echoes through partial writes")
    func largeBody() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let body = (0..<(4 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let (response, next) = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write(Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            let response = try client.readResponse()
            try client.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            return (response, try client.readResponse())
        }
        #expect(response.status == 200)
        #expect(response.body.count == body.count)
        #expect(response.body == body)
        #expect(next.text == "hello")
    }

    @Test("path parameters and literal precedence")
    func pathParameters() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let bodies = try await onThread {
            let client = try RawClient(port: server.port)
            var bodies: [String] = []
            for path in ["/alerts/abc", "/alerts/stats", "/alerts/a%2Fb%20c"] {
                try client.write("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n")
                bodies.append(try client.readResponse().text)
            }
            return bodies
        }
        #expect(bodies[0] == "{\"id\":\"abc\"}")
        #expect(bodies[1] == "{\"stats\":true}")
        #expect(bodies[2] == "{\"id\":\"a/b c\"}")
    }

    @Test("query values are decoded")
    func queryValues() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /query?limit=10&name=a+b&name=c%26d HTTP/1.1\r\nHost: a\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.text == "limit=10 names=a b|c&d")
    }

    @Test("absolute-form target is routed")
    func absoluteFormTarget() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET http://localhost:8080/hello HTTP/1.1\r\nHost: localhost:8080\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.status == 200)
        #expect(response.text == "hello")
    }

    @Test("HEAD returns length without body")
    func head() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (head, next) = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /alerts/9 HTTP/1.1\r\nHost: a\r\n\r\n")
            let head = try client.readResponse(isHead: true)
            let next = try client.readResponse()
            return (head, next)
        }
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "5")
        #expect(head.body.isEmpty)
        #expect(next.text == "{\"id\":\"9\"}")
    }

    @Test("204 has no Content-Length")
    func noContent() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /empty HTTP/1.1\r\nHost: a\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.status == 204)
        #expect(response.header("Content-Length") == nil)
    }

    @Test("unknown path gets 404 problem")
    func notFound() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.text.contains("\"type\":\"about:blank\""))
        #expect(response.text.contains("\"title\":\"Not Found\""))
        #expect(response.text.contains("\"status\":404"))
        #expect(response.text.contains("/nowhere"))
        #expect(response.header("Connection") == nil)
    }

    @Test("wrong method gets 405 with Allow")
    func methodNotAllowed() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let responses = try await onThread {
            let client = try RawClient(port: server.port)
            var responses: [RawClient.Response] = []
            for method in ["PUT", "POST"] {
                try client.write("\(method) /alerts/7 HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
                responses.append(try client.readResponse())
            }
            try client.write("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
            responses.append(try client.readResponse())
            return responses
        }
        for response in responses.prefix(2) {
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD, PATCH")
            #expect(response.header("Content-Type") == "application/problem+json")
        }
        #expect(responses[2].status == 405)
        #expect(responses[2].header("Allow") == "GET, HEAD")
    }

    @Test("TRACE and unknown methods get 405")
    func unknownMethodsGet405() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let responses = try await onThread {
            let client = try RawClient(port: server.port)
            var responses: [RawClient.Response] = []
            for method in ["DELETE", "TRACE", "BREW"] {
                try client.write("\(method) /alerts/7 HTTP/1.1\r\nHost: a\r\n\r\n")
                responses.append(try client.readResponse())
            }
            return responses
        }
        for response in responses {
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD, PATCH")
            #expect(response.header("Connection") == nil)
            #expect(response.header("Content-Type") == "application/problem+json")
        }
    }

    @Test("invalid Host gets 400")
    func invalidHost() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        for host in ["a b", "a/b", "[::1", "a:8o", "%zz", "a@b"] {
            let response = try await exchange(port: server.port, "GET /hello HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            #expect(response.status == 400, "Host \(host)")
        }
        for host in ["localhost:8080", "127.0.0.1", "[::1]:80", "my-host.example", "x%41y", ""] {
            let response = try await exchange(port: server.port, "GET /hello HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            #expect(response.status == 200, "Host \(host)")
        }
    }

    @Test("405 with a body closes connection")
    func methodNotAllowedWithBodyCloses() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("POST /hello HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nGET /")
            let response = try client.readResponse()
            return (response, client.waitForClose())
        }
        #expect(response.status == 405)
        #expect(response.header("Connection") == "close")
        #expect(closed)
    }

    @Test("HTTP/1.0 closes by default")
    func http10Closes() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /hello HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            return (response, client.waitForClose())
        }
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(closed)
    }

    @Test("HTTP/1.0 keep-alive stays open")
    func http10KeepAlive() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let responses = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let first = try client.readResponse()
            try client.write("GET /hello HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")
            let second = try client.readResponse()
            return [first, second]
        }
        #expect(responses[0].header("Connection") == "keep-alive")
        #expect(responses[0].header("Keep-Alive") == "timeout=60")
        #expect(responses[1].status == 200)
    }

    @Test("missing Host gets 400")
    func missingHost() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /hello HTTP/1.1\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.status == 400)
        #expect(response.text.contains("Host"))
    }

    @Test("HTTP/2.0 request line gets 505")
    func unsupportedVersion() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let response = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /hello HTTP/2.0\r\nHost: a\r\n\r\n")
            return try client.readResponse()
        }
        #expect(response.status == 505)
    }

    @Test("malformed heads get 400")
    func malformedHeads() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let cases = [
            "GET /hello HTTP/1.1\nHost: a\n\n",
            "GET /hello HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: a\r\nX-Bad: a\u{1}b\r\n\r\n",
            "GET  /hello HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: a\rX: b\r\n\r\n",
            "GET /he%zzllo HTTP/1.1\r\nHost: a\r\n\r\n",
        ]
        for request in cases {
            let (response, closed) = try await onThread {
                let client = try RawClient(port: server.port)
                try client.write(request)
                let response = try client.readResponse()
                return (response, client.waitForClose())
            }
            #expect(response.status == 400, "\(request.debugDescription)")
            #expect(response.header("Connection") == "close", "\(request.debugDescription)")
            #expect(closed, "\(request.debugDescription)")
        }
    }
}
