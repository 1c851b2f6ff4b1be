import Testing

@testable import HTTPServer

/// Requests whose body framing is ambiguous, the raw material of request smuggling.
@Suite("Message framing and smuggling")
struct MessageFramingTests {
    @Test("duplicate equal Content-Length accepted")
    func duplicateEqualContentLength() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let listed = try await exchange(port: server.port, "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 4\r\n\r\nbody")
        #expect(listed.status == 200)
        #expect(listed.text == "body")

        let repeated = try await exchange(port: server.port, "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nbody")
        #expect(repeated.status == 200)
        #expect(repeated.text == "body")
    }

    @Test("conflicting Content-Length rejected")
    func conflictingContentLength() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        for lengths in ["Content-Length: 4, 5", "Content-Length: 4\r\nContent-Length: 5"] {
            let (response, closed) = try await exchangeAndWaitForClose(
                port: server.port,
                "POST /echo HTTP/1.1\r\nHost: a\r\n\(lengths)\r\n\r\nbodyX"
            )
            #expect(response.status == 400, "\(lengths)")
            #expect(response.text.contains("differ"), "\(lengths)")
            #expect(closed, "\(lengths)")
        }
    }

    @Test("non-decimal Content-Length rejected")
    func invalidContentLength() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        for value in ["+4", "0x04", "-1", "4.0", "", "99999999999999999999999", "4 4"] {
            let (response, closed) = try await exchangeAndWaitForClose(
                port: server.port,
                "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\nbody"
            )
            #expect(response.status == 400, "Content-Length: \(value)")
            #expect(closed, "Content-Length: \(value)")
        }
    }

    @Test("Content-Length with Transfer-Encoding rejected")
    func contentLengthAndTransferEncoding() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\n"
        )
        #expect(response.status == 400)
        #expect(response.text.contains("both Content-Length and Transfer-Encoding"))
        #expect(response.header("Connection") == "close")
        #expect(closed)
    }

    @Test("xchunked transfer coding rejected")
    func xchunked() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"
        )
        #expect(response.status == 400)
        #expect(closed)
    }

    @Test("chunked, identity rejected")
    func chunkedThenIdentity() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"
        )
        #expect(response.status == 400)
        #expect(closed)
    }

    @Test("other coding before chunked gets 501")
    func gzipThenChunked() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"
        )
        #expect(response.status == 501)
        #expect(closed)
    }

    @Test("chunked twice rejected")
    func chunkedTwice() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, _) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        )
        #expect(response.status == 400)
    }

    @Test("Transfer-Encoding in HTTP/1.0 rejected")
    func transferEncodingInHTTP10() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        )
        #expect(response.status == 400)
        #expect(closed)
    }

    @Test("chunk size overflow rejected")
    func chunkSizeOverflow() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000000000000000000\r\n"
        )
        #expect(response.status == 400)
        #expect(response.text.contains("does not fit"))
        #expect(closed)
    }

    @Test("invalid chunk framing rejected")
    func invalidChunkFraming() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let bodies = [
            "zz\r\nhello\r\n0\r\n\r\n",
            "5\r\nhelloXX0\r\n\r\n",
            "5\nhello\r\n0\r\n\r\n",
            "-5\r\nhello\r\n0\r\n\r\n",
        ]
        for body in bodies {
            let (response, closed) = try await exchangeAndWaitForClose(
                port: server.port,
                "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\(body)"
            )
            #expect(response.status == 400, "\(body.debugDescription)")
            #expect(closed, "\(body.debugDescription)")
        }
    }
}
