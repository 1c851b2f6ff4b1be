import Foundation
import Testing

/// The detectd executable as a user runs it: flags, start-up, and stop on a signal.
@Suite("detectd process", .serialized)
struct ProcessTests {
    /// The executable sits next to the test bundle in SwiftPM's build folder.
    static func executable() throws -> URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("detectd")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw TestClientError("detectd executable not found near \(testBinary.path)")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("help lists every flag")
    func help() throws {
        let (status, output) = try Self.run(["--help"])
        #expect(status == 0)
        for flag in ["--listen", "--database", "--rule", "--log-level", "--log-format", "DETECTD_LISTEN"] {
            #expect(output.contains(flag), "\(flag)")
        }
    }

    @Test("unknown flag exits with status 2")
    func unknownFlag() throws {
        let (status, output) = try Self.run(["--listen-on", "x"])
        #expect(status == 2)
        #expect(output.contains("unknown option '--listen-on'"))
    }

    @Test("unreadable rule file stops start-up")
    func badRule() throws {
        let (status, output) = try Self.run(["--rule", "/nonexistent/rule.json", "--database", "/tmp/detectd-unused-\(UUID().uuidString).sqlite"])
        #expect(status == 2)
        #expect(output.contains("rule could not be loaded"))
    }

    @Test("serves, then stops on SIGTERM with status 0")
    func sigterm() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("detectd-process-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = ["--listen", "127.0.0.1:0", "--database", folder.appendingPathComponent("db/detectd.sqlite").path, "--log-format", "json"]
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()

        // The start line carries the bound port: {"...","address":"127.0.0.1:PORT",...}.
        var log = ""
        var port: Int?
        while port == nil {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
            for line in log.split(separator: "\n") where line.contains("\"detectd started\"") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                port = (object?["address"] as? String)?.split(separator: ":").last.flatMap { Int($0) }
            }
        }
        let boundPort = try #require(port, "no start line in: \(log)")

        let client = TestHTTPClient(port: boundPort)
        let response = try await client.request("POST", "/evaluate", json: portProxyEvent(id: "process-1"))
        #expect(response.status == 200)
        #expect(try response.json()["alerts_created"] as? Int == 1)

        process.terminate()
        process.waitUntilExit()
        log += String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(log.contains("\"detectd stopped\""))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("db/detectd.sqlite").path))
    }
}
