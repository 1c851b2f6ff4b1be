import Foundation
import Testing

@testable import HTTPServer

@Suite("Concurrent connections")
struct ConcurrencyTests {
    @Test("200 connections open at once")
    func manyConnections() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let bodies = try await onThread {
            let clients = try (0..<200).map { _ in try RawClient(port: server.port) }
            for (index, client) in clients.enumerated() {
                try client.write("GET /alerts/\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
            }
            return try clients.map { try $0.readResponse().text }
        }
        #expect(bodies.count == 200)
        for (index, body) in bodies.enumerated() {
            #expect(body == "{\"id\":\"\(index)\"}")
        }
    }

    @Test("sleeping handler blocks no other request")
    func sleepingHandler() async throws {
        let server = try TestServer.start()
        defer { server.stop() }

        let (fastElapsed, slow) = try await onThread {
            let slowClient = try RawClient(port: server.port)
            try slowClient.write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.05)

            let start = ContinuousClock.now
            var fastClients: [RawClient] = []
            for _ in 0..<4 {
                let client = try RawClient(port: server.port)
                try client.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                fastClients.append(client)
            }
            for client in fastClients {
                _ = try client.readResponse()
            }
            let fastElapsed = start.duration(to: .now)
            return (fastElapsed, try slowClient.readResponse())
        }
        #expect(fastElapsed < .milliseconds(500))
        #expect(slow.text == "slow")
    }

    @Test("connection beyond maximum gets 503")
    func connectionLimit() async throws {
        let server = try TestServer.start(HTTPServerConfiguration(maxConnections: 2))
        defer { server.stop() }

        let (third, first) = try await onThread {
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            try first.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            try second.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            _ = try first.readResponse()
            _ = try second.readResponse()

            let third = try RawClient(port: server.port)
            let rejected = try third.readResponse()
            try first.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
            return (rejected, try first.readResponse())
        }
        #expect(third.status == 503)
        #expect(third.header("Retry-After") == "1")
        #expect(third.header("Content-Type") == "application/problem+json")
        #expect(first.status == 200)
    }
}
