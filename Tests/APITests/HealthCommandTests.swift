import Foundation
import Glibc
import HTTPServer
import Logging
import Testing

/// `detectd health` as a container's HEALTHCHECK runs it.
@Suite("detectd health", .serialized)
struct HealthCommandTests {
    struct Result {
        let status: Int32
        let output: String
        let errorOutput: String
    }

    /// Runs the executable on a thread of its own, because the servers these tests query run
    /// their handlers on Swift's cooperative pool, which a blocking wait must not occupy.
    static func health(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let executable = try ProcessTests.executable()
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Swift.Result {
                        let process = Process()
                        process.executableURL = executable
                        process.arguments = ["health"] + arguments
                        process.environment = environment
                        let output = Pipe()
                        let errorOutput = Pipe()
                        process.standardOutput = output
                        process.standardError = errorOutput
                        try process.run()
                        let outputData = output.fileHandleForReading.readDataToEndOfFile()
                        let errorData = errorOutput.fileHandleForReading.readDataToEndOfFile()
                        process.waitUntilExit()
                        return Result(
                            status: process.terminationStatus,
                            output: String(decoding: outputData, as: UTF8.self),
                            errorOutput: String(decoding: errorData, as: UTF8.self))
                    })
            }
        }
    }

    /// Opens a listening socket on 127.0.0.1 that never accepts, so the kernel completes the
    /// handshake and no response ever comes. Returns the descriptor and port.
    static func silentListener() throws -> (Int32, Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestClientError("socket failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && listen(descriptor, 8) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw TestClientError("could not listen on 127.0.0.1: errno \(errno)")
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("ready service exits 0")
    func ready() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let result = try await Self.health(["--listen", "127.0.0.1:\(service.client.port)"])
        #expect(result.status == 0)
        #expect(result.output == "detectd health: ready (127.0.0.1:\(service.client.port))\n")
    }

    @Test("wildcard address from the environment")
    func wildcardFromEnvironment() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let result = try await Self.health([], environment: ["DETECTD_LISTEN": "0.0.0.0:\(service.client.port)"])
        #expect(result.status == 0)
        #expect(result.output.contains("127.0.0.1:\(service.client.port)"))
    }

    @Test("flag wins over the environment")
    func flagWins() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let result = try await Self.health(
            ["--listen=127.0.0.1:\(service.client.port)"], environment: ["DETECTD_LISTEN": "127.0.0.1:1"])
        #expect(result.status == 0)
    }

    @Test("closed port exits 1")
    func closedPort() async throws {
        let (descriptor, port) = try Self.silentListener()
        close(descriptor)
        let result = try await Self.health(["--listen", "127.0.0.1:\(port)"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("could not connect to 127.0.0.1:\(port)"))
    }

    @Test("not ready status exits 1")
    func notReady() async throws {
        var router = Router()
        router.add(.GET, "/ready") { _ in
            .problem(status: 503, detail: "The database is not writable: disk I/O error")
        }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, router: router, logger: Logger(label: "test", sink: LogSink(capturing: ())))
        let port = try server.start()
        defer {
            server.shutdown()
            server.wait()
        }

        let result = try await Self.health(["--listen", "127.0.0.1:\(port)"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("returned 503"))
        #expect(result.errorOutput.contains("disk I/O error"))
    }

    @Test("silent server times out")
    func timeout() async throws {
        let (descriptor, port) = try Self.silentListener()
        defer { close(descriptor) }
        let result = try await Self.health(["--listen", "127.0.0.1:\(port)", "--timeout", "0.3"])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("timed out"))
    }

    @Test("usage errors exit 1")
    func usageErrors() async throws {
        let unknown = try await Self.health(["--port", "8080"])
        #expect(unknown.status == 1)
        #expect(unknown.errorOutput.contains("unknown option '--port'"))

        let badTimeout = try await Self.health(["--timeout", "soon"])
        #expect(badTimeout.status == 1)
        #expect(badTimeout.errorOutput.contains("invalid --timeout 'soon'"))

        let badListen = try await Self.health(["--listen", "localhost:http"])
        #expect(badListen.status == 1)
        #expect(badListen.errorOutput.contains("invalid listen address"))
    }

    @Test("help exits 0")
    func help() async throws {
        let result = try await Self.health(["--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("Usage: detectd health"))
    }
}
