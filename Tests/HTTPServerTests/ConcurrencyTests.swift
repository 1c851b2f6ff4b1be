import Foundation
import Synchronization
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

    @Test("waiting handler blocks no other request")
    func waitingHandler() async throws {
        // The slow handler waits until the test opens the gate, which happens only after the
        // other requests were answered: if a waiting handler held up its loop, this would time out.
        let gate = Gate()
        let server = try TestServer.start { router in
            TestServer.addStandardRoutes(&router)
            router.add(.GET, "/gated") { _ in
                await gate.wait()
                return HTTPResponse(status: 200, body: Array("gated".utf8))
            }
        }
        defer { server.stop() }

        let (fast, slow) = try await onThread {
            let slowClient = try RawClient(port: server.port)
            try slowClient.write("GET /gated HTTP/1.1\r\nHost: a\r\n\r\n")

            var fastClients: [RawClient] = []
            for _ in 0..<4 {
                let client = try RawClient(port: server.port)
                try client.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                fastClients.append(client)
            }
            let fast = try fastClients.map { try $0.readResponse().text }
            gate.open()
            return (fast, try slowClient.readResponse())
        }
        #expect(fast == Array(repeating: "hello", count: 4))
        #expect(slow.text == "gated")
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

/// A one-shot gate: tasks that wait before `open()` resume when it is called.
final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    @Test("handlers start inline or on pool")
    func handlerPlacement() async throws {
        for limit in [-1, 0, 64 * 1024] {
            let server = try TestServer.start(HTTPServerConfiguration(inlineHandlerMaxBodyBytes: limit))
            defer { server.stop() }

            let responses = try await onThread {
                let client = try RawClient(port: server.port)
                try client.write("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n")
                let hello = try client.readResponse()
                try client.write("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
                let echo = try client.readResponse()
                try client.write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
                let slow = try client.readResponse()
                return [hello.text, echo.text, slow.text]
            }
            #expect(responses == ["hello", "abc", "slow"], "limit \(limit)")
        }
    }
}
