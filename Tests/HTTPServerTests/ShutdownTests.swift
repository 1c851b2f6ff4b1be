import Foundation
import Testing

@testable import HTTPServer

@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test("in-flight request finishes")
    func inFlightFinishes() async throws {
        let server = try TestServer.start()

        let (response, idleClosed, refused) = try await onThread {
            let idle = try RawClient(port: server.port)
            let busy = try RawClient(port: server.port)
            try busy.write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.1)

            server.server.shutdown()
            let idleClosed = idle.waitForClose()
            let response = try busy.readResponse()
            server.server.wait()
            let refused = (try? RawClient(port: server.port)) == nil
            return (response, idleClosed, refused)
        }
        #expect(response.status == 200)
        #expect(response.text == "slow")
        #expect(response.header("Connection") == "close")
        #expect(idleClosed)
        #expect(refused)
        #expect(server.logSink.lines.contains(where: { $0.contains("HTTP server stopped") }))
    }

    @Test("grace period ends stuck requests")
    func gracePeriodEnds() async throws {
        let server = try TestServer.start(HTTPServerConfiguration(shutdownGracePeriod: .milliseconds(300))) { router in
            router.add(.GET, "/stuck") { _ in
                try? await Task.sleep(for: .seconds(5))
                return HTTPResponse(status: 200)
            }
        }

        let (closed, elapsed) = try await onThread {
            let client = try RawClient(port: server.port)
            try client.write("GET /stuck HTTP/1.1\r\nHost: a\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.1)

            let start = ContinuousClock.now
            server.server.shutdown()
            server.server.wait()
            return (client.waitForClose(), start.duration(to: .now))
        }
        #expect(closed)
        #expect(elapsed < .seconds(2))
    }

    @Test("start logs the bound address")
    func startLogs() throws {
        let server = try TestServer.start()
        server.stop()

        let started = server.logSink.lines.first(where: { $0.contains("HTTP server started") })
        #expect(started?.contains("127.0.0.1:\(server.port)") == true)
    }

    @Test("second start is rejected")
    func secondStart() throws {
        let server = try TestServer.start()
        defer { server.stop() }

        #expect(throws: HTTPServerError.alreadyStarted) {
            _ = try server.server.start()
        }
    }

    @Test("port in use gets bind error")
    func portInUse() throws {
        let first = try TestServer.start()
        defer { first.stop() }

        let second = HTTPServer(
            configuration: HTTPServerConfiguration(port: first.port),
            router: Router(),
            logger: .init(label: "test", sink: .init(capturing: ()))
        )
        #expect(throws: HTTPServerError.systemCallFailed(call: "bind", errno: EADDRINUSE, address: "127.0.0.1:\(first.port)")) {
            _ = try second.start()
        }
    }
}
