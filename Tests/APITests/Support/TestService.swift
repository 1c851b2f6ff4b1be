import API
import Detection
import Foundation
import HTTPServer
import Logging
import Storage

/// A real detectd on an ephemeral loopback port with a database in a temporary folder.
///
/// With `keys`, every route but the health checks needs one of them, as with `--api-keys`.
final class TestService {
    let folder: URL
    let database: Database
    let server: HTTPServer
    let service: DetectionService
    let client: TestHTTPClient
    let logSink = LogSink(capturing: ())

    init(rule: Rule? = nil, keys: [APIKey] = [], maxAuthenticationFailures: Int = 20, accessLog: Bool = false) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("detectd-test-\(UUID().uuidString)")
        let logger = Logger(label: "detectd-test", level: .debug, sink: logSink)
        database = try Database(configuration: DatabaseConfiguration(path: folder.appendingPathComponent("detectd.sqlite").path), logger: logger)
        let compiled = try CompiledRule(try rule ?? Rule.bundled())
        let authenticator = keys.isEmpty ? nil : Authenticator(keys: keys, logger: logger, maxFailures: maxAuthenticationFailures)
        service = try await DetectionService(rule: compiled, database: database, logger: logger, authenticator: authenticator, accessLog: accessLog)
        var configuration = HTTPServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        service.configure(&configuration)
        server = HTTPServer(configuration: configuration, router: service.makeRouter(), logger: logger)
        service.observe(server)
        client = TestHTTPClient(port: try server.start())
    }

    var databasePath: String { folder.appendingPathComponent("detectd.sqlite").path }

    func stop() {
        server.shutdown()
        server.wait()
        database.close()
        try? FileManager.default.removeItem(at: folder)
    }
}

enum Fixtures {
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Fixtures/corpus/\(name)", withExtension: nil) else {
            throw TestClientError("fixture \(name) is missing")
        }
        return url
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name)))
    }

    struct Label: Decodable {
        let file: String
        let line: Int
        let match: Bool
    }

    static func labels() throws -> [Label] {
        let text = String(decoding: try bytes("expected.jsonl"), as: UTF8.self)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Label.self, from: Data($0.utf8)) }
    }
}
