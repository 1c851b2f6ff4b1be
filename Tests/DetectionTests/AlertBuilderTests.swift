import Foundation
import Testing

@testable import Detection

@Suite("Alert building")
struct AlertBuilderTests {
    static let receivedAt = Date(timeIntervalSince1970: 1_800_000_000)

    func alert(_ json: String, rule: Rule? = nil) throws -> Alert {
        let rule = try rule ?? Rule.bundled()
        let built = try withEvent(json) { AlertBuilder.build(rule: rule, event: $0, receivedAt: Self.receivedAt) }
        return try #require(built)
    }

    func corpusAlert(_ line: Int, of file: String) throws -> Alert {
        try alert(try Corpus.line(line, of: file))
    }

    static let agentFile = "eas_panache_edr_testing_rec4945-4966.elastic_agent.ndjson"
    static let winlogbeatFile = "eas_de_portforward_netsh_rdp.winlogbeat.ndjson"

    @Test("corpus Elastic Agent alert")
    func corpusAgent() throws {
        let alert = try corpusAlert(13, of: Self.agentFile)
        #expect(alert.ruleID == "3535c8bb-3bd5-40f4-ae32-b7cd589d5372")
        #expect(alert.severity == "medium")
        #expect(alert.riskScore == 47)
        #expect(alert.timestampSource == .timestampOverride(FieldPath("event.ingested")))
        #expect(alert.timestampText == "2025-01-15T10:00:06.123Z")
        #expect(alert.originalTime?.iso8601 == "2019-07-29T21:33:59.803Z")
        #expect(alert.hostName == "MSEDGEWIN10")
        #expect(alert.userName == nil)
        #expect(alert.registryPath == #"HKLM\System\CurrentControlSet\Services\PortProxy\v4tov4\tcp\0.0.0.0/8080"#)
        #expect(
            alert.reason
                == #"registry change to HKLM\System\CurrentControlSet\Services\PortProxy\v4tov4\tcp\0.0.0.0/8080 by C:\Windows\system32\netsh.exe on MSEDGEWIN10"#
        )
        #expect(alert.portProxy?.listenPort == 8080)
        #expect(alert.portProxy?.connectAddress == "192.168.1.1")
    }

    @Test("Winlogbeat alert falls back to @timestamp")
    func corpusWinlogbeat() throws {
        let alert = try corpusAlert(3, of: Self.winlogbeatFile)
        #expect(alert.timestampSource == .eventTimestamp)
        #expect(alert.timestampText == "2019-05-23T17:46:05.022Z")
        #expect(alert.originalTime == alert.timestamp)
        #expect(alert.portProxy?.listenAddress == "1.2.3.4")
        #expect(alert.portProxy?.connectPort == 3389)
    }

    @Test("no event time uses received time")
    func receivedTime() throws {
        let alert = try alert(#"{"host":{"name":"h"},"@timestamp":"not a date"}"#)
        #expect(alert.timestampSource == .receivedAt)
        #expect(alert.timestamp == ECSTimestamp(Self.receivedAt))
        #expect(alert.originalTime == nil)
        #expect(alert.receivedAt.iso8601 == "2027-01-15T08:00:00.000Z")
    }

    @Test("fallback disabled skips @timestamp")
    func fallbackDisabled() throws {
        let rule = try Rule(
            json: Array(
                #"""
                {"rule_id":"r","name":"n","description":"d","type":"eql","query":"any where true","severity":"low",
                 "risk_score":1,"timestamp_override":"event.ingested","timestamp_override_fallback_disabled":true}
                """#.utf8))
        let alert = try alert(#"{"@timestamp":"2019-05-23T17:46:05.022Z"}"#, rule: rule)
        #expect(alert.timestampSource == .receivedAt)
        #expect(alert.originalTime?.iso8601 == "2019-05-23T17:46:05.022Z")
    }

    @Test("reason with every part")
    func fullReason() throws {
        let alert = try alert(
            #"{"event":{"category":"registry"},"registry":{"path":"HKLM\\X"},"process":{"name":"netsh.exe"},"user":{"name":"IEUser"},"host":{"name":"MSEDGEWIN10"}}"#
        )
        #expect(alert.reason == #"registry change to HKLM\X by netsh.exe as IEUser on MSEDGEWIN10"#)
    }

    @Test("reason for other events")
    func otherReason() throws {
        #expect(try alert(#"{"event":{"category":["process"]},"host":{"name":"h"}}"#).reason == "event on h")
        #expect(try alert("{}").reason == "event")
    }

    @Test("id is deterministic")
    func deterministicID() throws {
        let first = try corpusAlert(13, of: Self.agentFile)
        let second = try corpusAlert(13, of: Self.agentFile)
        let other = try corpusAlert(14, of: Self.agentFile)
        #expect(first.id == second.id)
        #expect(first.id != other.id)
        #expect(first.id.count == 64)

        var hasher = SHA256()
        hasher.update(Array("3535c8bb-3bd5-40f4-ae32-b7cd589d5372".utf8) + [0] + Array(first.eventIdentity.description.utf8))
        #expect(first.id == SHA256.hexString(hasher.finalize()))
    }

    @Test("id uses the hit identity")
    func hitID() throws {
        let alert = try alert(#"{"_index":"winlogbeat-8","_id":"x1","_source":{"event":{"id":"e"}}}"#)
        #expect(alert.eventIdentity == .searchHit(index: "winlogbeat-8", id: "x1"))
        #expect(alert.id == AlertBuilder.alertID(ruleID: "3535c8bb-3bd5-40f4-ae32-b7cd589d5372", identity: .searchHit(index: "winlogbeat-8", id: "x1")))
    }

    @Test("port proxy listen endpoint from registry.value")
    func portProxyFromValueName() throws {
        let alert = try alert(
            #"{"registry":{"path":"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp","value":"0.0.0.0/4444","data":{"strings":["192.0.2.1/22"]}}}"#
        )
        #expect(alert.portProxy?.listenAddress == "0.0.0.0")
        #expect(alert.portProxy?.listenPort == 4444)
        #expect(alert.portProxy?.connectPort == 22)
        #expect(alert.portProxy?.parseError == nil)
    }

    @Test("summary fields copy every value")
    func summaryFields() throws {
        let alert = try alert(#"{"registry.data.strings":["a","b"],"process":{"pid":42},"user.name":["u1","u2"]}"#)
        #expect(alert.fields.map(\.path.name) == ["user.name", "process.pid", "registry.data.strings"])
        #expect(alert.fields[0].values == [.string("u1"), .string("u2")])
        #expect(alert.fields[1].values == [.integer(42)])
        #expect(alert.fields[2].values == [.string("a"), .string("b")])
        #expect(alert.fields.map(\.isArray) == [false, false, true])
        #expect(alert.firstText("process.pid") == "42")
        #expect(alert.firstText("user.name") == "u1")
    }
}
