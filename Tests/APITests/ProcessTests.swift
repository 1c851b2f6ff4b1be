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
        for flag in ["--listen", "--database", "--rule", "--log-level", "--log-format", "DETECTD_LISTEN", "--version", "detectd version"] {
            #expect(output.contains(flag), "\(flag)")
        }
    }

    @Test("version flag and command print the version", arguments: [["--version"], ["version"], ["--log-level", "debug", "--version"]])
    func version(arguments: [String]) throws {
        let (status, output) = try Self.run(arguments)
        #expect(status == 0)
        #expect(output == "detectd 0.1.0\n")
    }

    @Test("version command with arguments exits with status 2")
    func versionCommandArguments() throws {
        let (status, output) = try Self.run(["version", "--short"])
        #expect(status == 2)
        #expect(output == "detectd: the version command takes no arguments, but got '--short'\n")
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
        let running = try AuthStartupTests.RunningProcess(arguments: [
            "--listen", "127.0.0.1:0", "--database", folder.appendingPathComponent("db/detectd.sqlite").path,
        ])

        let client = TestHTTPClient(port: running.port)
        let response = try await client.request("POST", "/evaluate", json: portProxyEvent(id: "process-1"))
        #expect(response.status == 200)
        #expect(try response.json()["alerts_created"] as? Int == 1)

        let log = running.stop()
        #expect(running.process.terminationStatus == 0)
        #expect(log.contains("\"detectd stopped\""))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("db/detectd.sqlite").path))
    }

    @Test("limit flags reach the running server")
    func limitFlagsApply() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("detectd-process-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let running = try AuthStartupTests.RunningProcess(arguments: [
            "--listen", "127.0.0.1:0", "--database", folder.appendingPathComponent("db/detectd.sqlite").path,
            "--max-body-bytes", "4096", "--max-events", "2",
        ])
        defer { _ = running.stop() }

        let client = TestHTTPClient(port: running.port)
        let large = try await client.request("POST", "/evaluate?dry_run=true", json: "[" + String(repeating: " ", count: 5000) + "]")
        #expect(large.status == 413)
        #expect(try large.json()["max"] as? Int == 4096)

        let threeEvents = "[" + (1...3).map { portProxyEvent(id: "limit-\($0)") }.joined(separator: ",") + "]"
        let tooMany = try await client.request("POST", "/evaluate?dry_run=true", json: threeEvents)
        #expect(tooMany.status == 400)
        #expect(try tooMany.json()["limit"] as? String == "max_events")
    }

    @Test("SIGTERM right after start stops with status 0")
    func sigtermRightAfterStart() throws {
        // The start line is written as the server begins to run. A signal sent the moment it
        // appears must still stop detectd cleanly, so it is neither lost nor fatal.
        for round in 1...10 {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("detectd-process-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let running = try AuthStartupTests.RunningProcess(arguments: [
                "--listen", "127.0.0.1:0", "--database", folder.appendingPathComponent("detectd.sqlite").path,
            ])
            let log = running.stop()
            #expect(running.process.terminationReason == .exit, "round \(round)")
            #expect(running.process.terminationStatus == 0, "round \(round)")
            #expect(log.contains("\"detectd stopped\""), "round \(round)")
        }
    }
}
