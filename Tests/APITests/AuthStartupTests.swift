import Foundation
import Synchronization
import Testing

@testable import API

/// The detectd executable's start-up decisions on authentication, and `detectd keys create`.
@Suite("Authentication at start-up", .serialized)
struct AuthStartupTests {
    /// A running detectd and everything it logged so far.
    final class RunningProcess: @unchecked Sendable {
        let process: Process
        let pipe: Pipe
        let port: Int
        /// What detectd logged up to its start line; `stop` returns the whole log.
        let startLog: String
        /// The rest of the log, read on a thread of its own so that detectd never blocks on a
        /// full pipe while a test runs.
        private let rest = LogTail()

        /// The bytes a pipe delivered until its end, and a semaphore signalled once they are all in.
        final class LogTail: Sendable {
            let data = Mutex<Data?>(nil)
            let done = DispatchSemaphore(value: 0)
        }

        init(arguments: [String], environment: [String: String] = [:]) throws {
            process = Process()
            process.executableURL = try ProcessTests.executable()
            process.arguments = arguments + ["--log-format", "json", "--log-level", "trace"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            pipe = Pipe()
            process.standardError = pipe
            try process.run()

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
            self.startLog = log
            let handle = pipe.fileHandleForReading
            let rest = self.rest
            Thread.detachNewThread {
                let data = handle.readDataToEndOfFile()
                rest.data.withLock { $0 = data }
                rest.done.signal()
            }
            self.port = try #require(port, "no start line in: \(log)")
        }

        /// Stops detectd with SIGTERM and returns its whole log. A detectd that has not exited
        /// 20 seconds later is killed and the test fails, rather than hanging the suite.
        func stop() -> String {
            process.terminate()
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline {
                usleep(10_000)
            }
            if process.isRunning {
                Issue.record("detectd did not stop within 20 seconds of SIGTERM")
                kill(process.processIdentifier, SIGKILL)
            }
            process.waitUntilExit()
            rest.done.wait()
            rest.done.signal()
            let tail = rest.data.withLock { $0 } ?? Data()
            return startLog + String(decoding: tail, as: UTF8.self)
        }
    }

    static func temporaryFolder() -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("detectd-auth-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Runs `detectd keys create` and returns the secret and the keys file entry it printed.
    static func createKey(name: String, scope: String) throws -> (secret: String, entry: String, output: String) {
        let (status, output) = try ProcessTests.run(["keys", "create", "--name", name, "--scope", scope])
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        let secret = try #require(lines.first { $0.hasPrefix("detectd_") }, "no secret in: \(output)")
        let entry = try #require(lines.first { $0.hasPrefix("{") }, "no entry in: \(output)")
        return (secret, entry, output)
    }

    @Test("non-loopback address without keys is rejected")
    func rejectsNonLoopback() throws {
        // 192.0.2.1 (TEST-NET-1, RFC 5737) is on no interface here, so even a broken check
        // could not bind it; the rejection must come before the bind.
        let (status, output) = try ProcessTests.run(["--listen", "192.0.2.1:0", "--database", "/tmp/detectd-unused-\(UUID().uuidString)/db.sqlite"])
        #expect(status == 2)
        #expect(output.contains("serving on 192.0.2.1 without API keys is not allowed"))
        #expect(output.contains("detectd keys create --name NAME --scope evaluate,read,manage"))
        #expect(output.contains("--insecure-no-auth"))
        #expect(!output.contains("could not start"))
    }

    @Test("wildcard address without keys is rejected")
    func rejectsWildcard() throws {
        for address in ["0.0.0.0:0", "[::]:0"] {
            let (status, output) = try ProcessTests.run(["--listen", address, "--database", "/tmp/detectd-unused-\(UUID().uuidString)/db.sqlite"])
            #expect(status == 2, "\(address)")
            #expect(output.contains("without API keys is not allowed"), "\(address)")
        }
    }

    @Test("loopback addresses")
    func loopback() {
        #expect(StartupAccessControl.isLoopback(host: "127.0.0.1"))
        #expect(StartupAccessControl.isLoopback(host: "127.10.0.3"))
        #expect(StartupAccessControl.isLoopback(host: "::1"))
        #expect(StartupAccessControl.isLoopback(host: "::ffff:127.0.0.1"))
        #expect(!StartupAccessControl.isLoopback(host: "0.0.0.0"))
        #expect(!StartupAccessControl.isLoopback(host: "::"))
        #expect(!StartupAccessControl.isLoopback(host: "192.0.2.1"))
        #expect(!StartupAccessControl.isLoopback(host: "128.0.0.1"))
    }

    @Test("start-up decision")
    func startupDecision() throws {
        var configuration = Configuration()
        configuration.host = "0.0.0.0"
        #expect(throws: AccessControlError.self) { try StartupAccessControl.keys(for: configuration) }
        configuration.insecureNoAuth = true
        #expect(try StartupAccessControl.keys(for: configuration).isEmpty)
        configuration.environmentKeyDigest = Array(repeating: 7, count: 32)
        #expect(throws: AccessControlError.self) { try StartupAccessControl.keys(for: configuration) }
        configuration.insecureNoAuth = false
        let keys = try StartupAccessControl.keys(for: configuration)
        #expect(keys.map(\.name) == ["DETECTD_API_KEY"])
        #expect(keys.first?.scopes == Set(AccessScope.allCases))
    }

    @Test("security flags and environment")
    func flags() throws {
        let parsed = try Configuration.parse(
            arguments: ["--api-keys", "/etc/detectd/keys.json", "--insecure-no-auth"],
            environment: ["DETECTD_API_KEY": "detectd_environment-secret-0000000000"])
        #expect(parsed.apiKeysPath == "/etc/detectd/keys.json")
        #expect(parsed.insecureNoAuth)
        #expect(parsed.environmentKeyDigest == APIKey(name: "x", scopes: [], secret: "detectd_environment-secret-0000000000").secretDigest)

        let fromEnvironment = try Configuration.parse(arguments: [], environment: ["DETECTD_API_KEYS": "/k.json", "DETECTD_INSECURE_NO_AUTH": "true"])
        #expect(fromEnvironment.apiKeysPath == "/k.json")
        #expect(fromEnvironment.insecureNoAuth)
        #expect(try Configuration.parse(arguments: ["--insecure-no-auth=false"], environment: ["DETECTD_INSECURE_NO_AUTH": "1"]).insecureNoAuth == false)

        do {
            _ = try Configuration.parse(arguments: [], environment: ["DETECTD_API_KEY": "hunter2"])
            Issue.record("a short DETECTD_API_KEY was accepted")
        } catch {
            #expect(error.message.contains("shorter than 24 characters"))
            #expect(!error.message.contains("hunter2"))
        }
    }

    @Test("help lists the security settings")
    func help() throws {
        let (status, output) = try ProcessTests.run(["--help"])
        #expect(status == 0)
        for text in ["--api-keys FILE", "--insecure-no-auth", "DETECTD_API_KEYS", "DETECTD_API_KEY", "DETECTD_INSECURE_NO_AUTH", "detectd keys create"] {
            #expect(output.contains(text), "\(text)")
        }
    }

    @Test("insecure mode warns at start")
    func insecureWarning() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let running = try RunningProcess(arguments: [
            "--listen", "127.0.0.1:0", "--insecure-no-auth", "--database", folder.appendingPathComponent("db.sqlite").path,
        ])
        let log = running.stop()
        let warning = log.split(separator: "\n").first { $0.contains("authentication is disabled by --insecure-no-auth") }
        #expect(warning?.contains("\"level\":\"warning\"") == true, "\(log)")
    }

    @Test("key helper output works as a key")
    func keyHelper() async throws {
        let shipper = try Self.createKey(name: "shipper", scope: "evaluate,read")
        let analyst = try Self.createKey(name: "analyst", scope: "manage")
        #expect(shipper.secret != analyst.secret)
        #expect(shipper.entry.contains(#""scopes":["evaluate","read"]"#))
        #expect(shipper.output.components(separatedBy: shipper.secret).count == 2, "the secret is printed exactly once")

        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keysFile = folder.appendingPathComponent("keys.json")
        try Data(#"{"keys": [\#n  \#(shipper.entry),\#n  \#(analyst.entry)\#n]}"#.utf8).write(to: keysFile)

        let running = try RunningProcess(arguments: [
            "--listen", "127.0.0.1:0", "--api-keys", keysFile.path, "--database", folder.appendingPathComponent("db.sqlite").path,
        ])
        let client = TestHTTPClient(port: running.port)
        let evaluated = try await client.request(
            "POST", "/evaluate", body: Array(portProxyEvent(id: "helper-1").utf8),
            headers: ["Authorization": "ApiKey \(shipper.secret)", "Content-Type": "application/json"])
        #expect(evaluated.status == 200)
        #expect(try await client.request("GET", "/alerts", headers: ["Authorization": "Bearer \(shipper.secret)"]).status == 200)
        #expect(try await client.request("GET", "/alerts").status == 401)
        #expect(try await client.request("GET", "/exceptions", headers: ["Authorization": "Bearer \(analyst.secret)"]).status == 403)
        let created = try await client.request(
            "POST", "/exceptions", body: Array(ExceptionRouteTests.adminItem.utf8),
            headers: ["Authorization": "Bearer \(analyst.secret)", "Content-Type": "application/json"])
        #expect(created.status == 201)
        let log = running.stop()
        #expect(log.contains("\"authentication\":\"api_keys\""))
        #expect(!log.contains(shipper.secret))
        #expect(!log.contains(analyst.secret))
    }

    @Test("key helper rejects bad input")
    func keyHelperErrors() throws {
        let badName = try ProcessTests.run(["keys", "create", "--name", "two words", "--scope", "read"])
        #expect(badName.status == 2)
        #expect(badName.output.contains("invalid key name"))
        let badScope = try ProcessTests.run(["keys", "create", "--name", "x", "--scope", "read,write"])
        #expect(badScope.status == 2)
        #expect(badScope.output.contains("unknown scope 'write'"))
        let noScope = try ProcessTests.run(["keys", "create", "--name", "x"])
        #expect(noScope.status == 2)
        #expect(noScope.output.contains("--scope"))
    }

    @Test("keys file with a secret stops start-up")
    func keysFileWithSecret() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keysFile = folder.appendingPathComponent("keys.json")
        try Data(#"{"keys":[{"name":"a","scopes":["read"],"secret":"detectd_pasted-by-mistake-000000000"}]}"#.utf8).write(to: keysFile)
        let (status, output) = try ProcessTests.run(["--api-keys", keysFile.path, "--database", folder.appendingPathComponent("db.sqlite").path])
        #expect(status == 2)
        #expect(output.contains("/keys/0/secret"))
        #expect(!output.contains("detectd_pasted-by-mistake"))
    }

    @Test("missing keys file names path and fix")
    func missingKeysFile() throws {
        let folder = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let keysFile = folder.appendingPathComponent("no-such-keys.json")
        let (status, output) = try ProcessTests.run(["--api-keys", keysFile.path, "--database", folder.appendingPathComponent("db.sqlite").path])
        #expect(status == 2)
        #expect(output.contains("keys file \(keysFile.path) does not exist."))
        #expect(output.contains("Check the --api-keys path (or DETECTD_API_KEYS)"))
        #expect(output.contains("detectd keys create --name NAME --scope evaluate,read"))
        #expect(!output.contains("The operation could not be completed"))
    }
}
