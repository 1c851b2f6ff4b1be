import Foundation
import Testing

@testable import HTTPServer

@Suite("Connection timeouts")
struct TimeoutTests {
    static let short = HTTPServerConfiguration(
        headTimeout: .milliseconds(500),
        bodyTimeout: .milliseconds(500),
        idleTimeout: .milliseconds(400)
    )

    @Test("dripping head gets 408")
    func drippingHead() async throws {
        let server = try TestServer.start(Self.short)
        defer { server.stop() }

        let (response, elapsed) = try await onThread {
            let client = try RawClient(port: server.port)
            let start = ContinuousClock.now
            try client.write("GET /hello HTTP/1.1\r\nHost: a\r\n")
            let dripper = Thread {
                // One field line byte every 100 ms keeps the head incomplete for 3 s.
                for _ in 0..<30 {
                    guard (try? client.write("X")) != nil else { return }
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
            dripper.start()
            let response = try client.readResponse()
            return (response, start.duration(to: .now))
        }
        #expect(response.status == 408)
        #expect(response.header("Connection") == "close")
        #expect(elapsed < .milliseconds(1500))
    }

    @Test("slow body gets 408")
    func slowBody() async throws {
        let server = try TestServer.start(Self.short)
        defer { server.stop() }

        let (response, closed) = try await exchangeAndWaitForClose(
            port: server.port,
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nab"
        )
        #expect(response.status == 408)
        #expect(response.text.contains("body"))
        #expect(closed)
    }

    @Test("idle keep-alive connection closes")
    func idleClose() async throws {
        let server = try TestServer.start(Self.short)
        defer { server.stop() }

        let (response, closed, elapsed) = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            let response = try client.readResponse()
            let start = ContinuousClock.now
            let closed = client.waitForClose()
            return (response, closed, start.duration(to: .now))
        }
        #expect(response.status == 200)
        #expect(closed)
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .milliseconds(2000))
    }

    @Test("silent new connection closes")
    func silentConnection() async throws {
        let server = try TestServer.start(Self.short)
        defer { server.stop() }

        let (closed, unparsed) = try await onThread {
            let client = try RawClient(port: server.port)
            return (client.waitForClose(), client.unparsed)
        }
        #expect(closed)
        #expect(unparsed.isEmpty)
    }
}
