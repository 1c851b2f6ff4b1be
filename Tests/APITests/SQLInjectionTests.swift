import Foundation
import Logging
import Testing

@testable import Storage

/// Injection attempts on every query parameter of the alert and audit routes. Each must get a
/// 400 or an ordinary, empty result, and the schema and the stored alerts must stay as they were.
@Suite("SQL injection attempts", .serialized)
struct SQLInjectionTests {
    static let payloads = [
        "' OR '1'='1",
        "x'; DROP TABLE alerts; --",
        "1) UNION SELECT sql FROM sqlite_schema --",
        "\" OR 1=1 --",
        "%27%20OR%201%3D1",
        "open') OR ('a'='a",
        "1; ATTACH DATABASE '/tmp/x.sqlite' AS x --",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT count(*) FROM r",
    ]
    static let parameters = [
        "status", "severity", "host.name", "user.name", "since", "until", "sort", "order", "limit", "cursor", "total",
    ]

    @Test("alert list parameters")
    func alertListParameters() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "keep-1"), alertTestEvent(id: "keep-2")])
        let schemaBefore = try schema(service)

        for path in ["/alerts", "/alerts/_export", "/alerts/\(ids[0])/related"] {
            let names = path.hasSuffix("related") ? ["limit"] : Self.parameters.filter { !(path.hasSuffix("_export") && $0 == "total") }
            for name in names {
                for payload in Self.payloads {
                    let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? payload
                    let response = try await service.client.request("GET", "\(path)?\(name)=\(encoded)")
                    #expect(response.status == 400 || response.status == 200, "\(path) \(name)=\(payload): \(response.status)")
                    if response.status == 200 && !path.hasSuffix("_export") {
                        #expect((try response.json()["alerts"] as? [Any])?.isEmpty == true, "\(path) \(name)=\(payload)")
                    }
                    if response.status == 200 && path.hasSuffix("_export") {
                        #expect(response.body.isEmpty, "\(path) \(name)=\(payload)")
                    }
                }
            }
        }

        #expect(try schema(service) == schemaBefore)
        #expect(try await service.alertIDs("/alerts").sorted() == ids.sorted())
    }

    @Test("audit and status change inputs")
    func auditAndStatusChangeInputs() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([alertTestEvent(id: "keep-3")])
        let schemaBefore = try schema(service)

        for name in ["limit", "cursor", "object_id", "action"] {
            for payload in Self.payloads {
                let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? payload
                let response = try await service.client.request("GET", "/audit?\(name)=\(encoded)")
                #expect(response.status == 400 || response.status == 200, "audit \(name)=\(payload)")
            }
        }
        for payload in Self.payloads {
            let quoted = String(decoding: try JSONSerialization.data(withJSONObject: [payload], options: [.fragmentsAllowed]), as: UTF8.self)
            let byID = try await service.client.request("POST", "/alerts/_status", json: #"{"status":"closed","ids":\#(quoted)}"#)
            #expect(try byID.json()["updated"] as? Int == 0, "ids \(payload)")
            let byHost = try await service.client.request("POST", "/alerts/_status", json: #"{"status":"closed","filter":{"host.name":\#(quoted)}}"#)
            #expect(try byHost.json()["updated"] as? Int == 0, "host.name \(payload)")
        }

        #expect(try schema(service) == schemaBefore)
        #expect(try await service.alertIDs("/alerts?status=open") == ids)
    }

    /// Reads the schema's DDL on a connection of its own.
    private func schema(_ service: TestService) throws -> [String] {
        let connection = try Connection(
            path: service.database.path, access: .readOnly, logger: Logger(label: "sql-injection-tests", level: .error, sink: LogSink(capturing: ())))
        defer { connection.close() }
        return try connection.withStatement("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name") { statement throws(StorageError) in
            var rows: [String] = []
            while try statement.step() {
                rows.append(statement.text(at: 0))
            }
            return rows
        }
    }
}
