import Foundation
import Testing

@testable import API

/// After a run that used keys, neither the log nor the database files contain a secret or an
/// `Authorization` value.
@Suite("Secrets stay out of logs and the database", .serialized)
struct SecretLeakTests {
    static let wrongSecret = "detectd_wrong-guess-that-must-not-be-logged-0000"

    /// Bytes of the database file and its WAL and shared-memory files.
    static func databaseBytes(at path: String) -> [UInt8] {
        ["", "-wal", "-shm"].flatMap { suffix in
            (try? Array(Data(contentsOf: URL(fileURLWithPath: path + suffix)))) ?? []
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        haystack.firstRange(of: Array(needle.utf8)) != nil
    }

    @Test("in-process run leaks no secret")
    func inProcess() async throws {
        let service = try await TestService(keys: TestKeys.all)
        let admin = TestKeys.authorization("admin")
        var json = admin
        json["Content-Type"] = "application/json"

        let created = try await service.client.request("POST", "/evaluate", body: Array(portProxyEvent(id: "leak-1").utf8), headers: json).json()
        let results = try #require(created["results"] as? [[String: Any]])
        let alertID = try #require(results.first?["alert_id"] as? String)
        #expect(
            try await service.client.request("PATCH", "/alerts/\(alertID)", body: Array(#"{"status":"closed","reason":"checked"}"#.utf8), headers: json).status
                == 200)
        #expect(try await service.client.request("POST", "/exceptions", body: Array(ExceptionRouteTests.adminItem.utf8), headers: json).status == 201)
        let wrong = try await service.client.request("GET", "/alerts", headers: ["Authorization": "Bearer \(Self.wrongSecret)"])
        #expect(wrong.status == 401)
        #expect(!wrong.text.contains(Self.wrongSecret))
        let forbidden = try await service.client.request(
            "PATCH", "/alerts/\(alertID)", body: Array(#"{"status":"open"}"#.utf8),
            headers: TestKeys.authorization("only-read").merging(["Content-Type": "application/json"]) { $1 })
        #expect(forbidden.status == 403)
        #expect(!forbidden.text.contains(TestKeys.secret("only-read")))

        service.server.shutdown()
        service.server.wait()
        service.database.close()
        let database = Self.databaseBytes(at: service.databasePath)
        let log = service.logSink.lines.joined(separator: "\n")
        service.stop()

        #expect(!database.isEmpty)
        #expect(Self.contains(database, "admin"), "the actor name is stored")
        #expect(log.contains("authentication failed"))
        for secret in TestKeys.all.map({ TestKeys.secret($0.name) }) + [Self.wrongSecret] {
            #expect(!Self.contains(database, secret), "database contains \(secret)")
            #expect(!log.contains(secret), "log contains \(secret)")
        }
        #expect(!log.contains("Authorization"))
        #expect(!log.contains("Bearer "))
    }

    @Test("process run with DETECTD_API_KEY leaks no secret")
    func process() async throws {
        let folder = AuthStartupTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = APIKey.generateSecret()
        let databasePath = folder.appendingPathComponent("db.sqlite").path
        let running = try AuthStartupTests.RunningProcess(
            arguments: ["--listen", "127.0.0.1:0", "--database", databasePath],
            environment: ["DETECTD_API_KEY": secret])
        let client = TestHTTPClient(port: running.port)
        let headers = ["Authorization": "ApiKey \(secret)", "Content-Type": "application/json"]

        let created = try await client.request("POST", "/evaluate", body: Array(portProxyEvent(id: "leak-2").utf8), headers: headers).json()
        let results = try #require(created["results"] as? [[String: Any]])
        let alertID = try #require(results.first?["alert_id"] as? String)
        let patched = try await client.request("PATCH", "/alerts/\(alertID)", body: Array(#"{"status":"acknowledged"}"#.utf8), headers: headers)
        #expect(patched.status == 200)
        let history = try #require(try patched.json()["status_history"] as? [[String: Any]])
        #expect(history.first?["actor"] as? String == "DETECTD_API_KEY")
        #expect(try await client.request("GET", "/rule", headers: ["Authorization": "ApiKey \(Self.wrongSecret)"]).status == 401)

        let log = running.stop()
        #expect(running.process.terminationStatus == 0)
        let database = Self.databaseBytes(at: databasePath)
        #expect(!database.isEmpty)
        for value in [secret, Self.wrongSecret] {
            #expect(!Self.contains(database, value), "database contains a secret")
            #expect(!log.contains(value), "log contains a secret")
        }
    }
}
