import API
import Foundation
import Logging
import Storage
import Testing

@Suite("Alert retention", .serialized)
struct AlertRetentionTests {
    @Test("scheduler deletes old closed alerts")
    func schedulerDeletesOldClosedAlerts() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([
            alertTestEvent(id: "old-closed", ingested: "2020-01-01T00:00:00Z"),
            alertTestEvent(id: "old-open", ingested: "2020-01-01T00:00:00Z"),
            alertTestEvent(id: "recent-closed", ingested: ISO8601DateFormatter().string(from: Date())),
        ])
        for id in [ids[0], ids[2]] {
            _ = try await service.client.request("PATCH", "/alerts/\(id)", json: #"{"status":"closed"}"#)
        }
        let scheduler = RetentionScheduler(
            database: service.database, days: 30, interval: .seconds(3600),
            logger: Logger(label: "retention-test", level: .error, sink: LogSink(capturing: ())))

        scheduler.start()
        defer { scheduler.stop() }
        var run: [String: Any]?
        for _ in 0..<100 where run == nil {
            run = try await service.client.request("GET", "/ready").json()["last_retention_run"] as? [String: Any]
            if run == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        #expect(run?["deleted_alerts"] as? Int == 1)
        #expect(run?["error"] is NSNull)
        #expect(try await service.client.request("GET", "/alerts/\(ids[0])").status == 404)
        #expect(try await service.client.request("GET", "/alerts/\(ids[1])").status == 200)
        #expect(try await service.client.request("GET", "/alerts/\(ids[2])").status == 200)
    }

    @Test("retention and synchronous flags")
    func retentionAndSynchronousFlags() throws {
        let defaults = try Configuration.parse(arguments: [], environment: [:])
        let flags = try Configuration.parse(arguments: ["--retention-days", "30", "--synchronous=normal"], environment: [:])
        let environment = try Configuration.parse(arguments: [], environment: ["DETECTD_RETENTION_DAYS": "7", "DETECTD_SYNCHRONOUS": "FULL"])

        #expect(defaults.retentionDays == nil)
        #expect(defaults.synchronous == .full)
        #expect(flags.retentionDays == 30)
        #expect(flags.synchronous == .normal)
        #expect(environment.retentionDays == 7)
        #expect(environment.synchronous == .full)
        for arguments in [["--retention-days", "0"], ["--retention-days", "-1"], ["--retention-days", "ten"], ["--synchronous", "OFF"]] {
            #expect(throws: ConfigurationError.self, "\(arguments)") {
                try Configuration.parse(arguments: arguments, environment: [:])
            }
        }
    }
}
