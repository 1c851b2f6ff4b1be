import Testing

@testable import HTTPServer

@Suite("Content-Encoding of request bodies")
struct ContentEncodingTests {
    static let text = Array(String(repeating: "{\"event\":{\"category\":\"registry\"}}\n", count: 50).utf8)

    static func post(_ body: [UInt8], encoding: String) -> [UInt8] {
        Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Encoding: \(encoding)\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    static func send(_ request: [UInt8], port: Int) async throws -> (response: RawClient.Response, closed: Bool) {
        try await onThread {
            let client = try RawClient(port: port)
            try client.write(request)
            let response = try client.readResponse()
            let closed = response.status >= 400 ? client.waitForClose() : false
            return (response, closed)
        }
    }

    @Test("gzip body is decoded")
    func gzip() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let compressed = Compression.compress(Self.text, windowBits: 31)
        let (response, _) = try await Self.send(Self.post(compressed, encoding: "gzip"), port: server.port)
        #expect(response.status == 200)
        #expect(response.body == Self.text)
        #expect(response.header("X-Content-Encoding") == "none")
    }

    @Test("two gzip members are decoded")
    func gzipMembers() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let first = Array("first,".utf8)
        let second = Array("second".utf8)
        let compressed = Compression.compress(first, windowBits: 31) + Compression.compress(second, windowBits: 31)
        let (response, _) = try await Self.send(Self.post(compressed, encoding: "x-gzip"), port: server.port)
        #expect(response.status == 200)
        #expect(response.text == "first,second")
    }

    @Test("zlib and raw deflate are decoded")
    func deflate() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        for windowBits: Int32 in [15, -15] {
            let compressed = Compression.compress(Self.text, windowBits: windowBits)
            let (response, _) = try await Self.send(Self.post(compressed, encoding: "deflate"), port: server.port)
            #expect(response.status == 200, "window bits \(windowBits)")
            #expect(response.body == Self.text, "window bits \(windowBits)")
        }
    }

    @Test("gzip bomb gets 413")
    func bomb() async throws {
        let server = try TestServer.start(HTTPServerConfiguration(maxBodyBytes: 1024 * 1024))
        defer { server.stop() }

        let zeros = [UInt8](repeating: 0, count: 8 * 1024 * 1024)
        let compressed = Compression.compress(zeros, windowBits: 31)
        #expect(compressed.count < 64 * 1024)
        let (response, closed) = try await Self.send(Self.post(compressed, encoding: "gzip"), port: server.port)
        #expect(response.status == 413)
        #expect(response.text.contains("decoded"))
        #expect(closed)
    }

    @Test("truncated gzip gets 400")
    func truncated() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let compressed = Compression.compress(Self.text, windowBits: 31)
        let (response, closed) = try await Self.send(Self.post(Array(compressed.prefix(compressed.count / 2)), encoding: "gzip"), port: server.port)
        #expect(response.status == 400)
        #expect(response.text.contains("ends before the end of its stream"))
        #expect(closed)
    }

    @Test("corrupt gzip gets 400")
    func corrupt() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, _) = try await Self.send(Self.post(Array("not gzip at all".utf8), encoding: "gzip"), port: server.port)
        #expect(response.status == 400)
        #expect(response.text.contains("gzip content is invalid"))
    }

    @Test("unknown coding gets 415")
    func unknownCoding() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (response, closed) = try await Self.send(Self.post(Array("data".utf8), encoding: "br"), port: server.port)
        #expect(response.status == 415)
        #expect(response.text.contains("'br'"))
        #expect(closed)
    }
}
