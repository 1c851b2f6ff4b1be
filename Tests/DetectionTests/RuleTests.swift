import Foundation
import Testing

@testable import Detection

@Suite("Rule loading")
struct RuleTests {
    static let minimal = #"""
        {"rule_id":"r1","name":"Test rule","description":"d","type":"eql","query":"any where true",
         "severity":"low","risk_score":21}
        """#

    func loadError(_ json: String) -> RuleLoadError? {
        do {
            _ = try Rule(json: Array(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    /// `minimal` with `field` set to the JSON text `value`, or removed when `value` is nil.
    func minimalWith(_ field: String, _ value: String?) throws -> String {
        var object = try #require(JSONSerialization.jsonObject(with: Data(Self.minimal.utf8)) as? [String: Any])
        object[field] = nil
        var text = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        if let value {
            text = "{\"\(field)\":\(value)," + text.dropFirst()
        }
        return text
    }

    @Test("bundled rule")
    func bundled() throws {
        let rule = try Rule.bundled()
        #expect(rule.ruleID == "3535c8bb-3bd5-40f4-ae32-b7cd589d5372")
        #expect(rule.name == "Port Forwarding Rule Addition")
        #expect(rule.version == 6)
        #expect(rule.type == "eql")
        #expect(rule.language == "eql")
        #expect(rule.query == "registry where registry.path : \"HKLM\\\\SYSTEM\\\\*ControlSet*\\\\Services\\\\PortProxy\\\\v4tov4\\\\*\"\n")
        #expect(rule.index == ["winlogbeat-*", "logs-endpoint.events.*", "logs-windows.*"])
        #expect(rule.severity == "medium")
        #expect(rule.riskScore == 47)
        #expect(rule.maxSignals == 100)
        #expect(rule.timestampOverride == "event.ingested")
        #expect(rule.timestampOverrideFallbackDisabled == false)
        #expect(rule.interval == "5m")
        #expect(rule.from == "now-9m")
        #expect(rule.tags == ["Elastic", "Host", "Windows", "Threat Detection", "Command and Control"])
        #expect(rule.references.count == 1)
        #expect(rule.falsePositives.count == 1)
        #expect(rule.note?.hasPrefix("## Triage") == true)
    }

    @Test("bundled rule threat")
    func bundledThreat() throws {
        let threat = try Rule.bundled().threat
        #expect(threat.count == 1)
        #expect(threat.first?.framework == "MITRE ATT&CK")
        #expect(threat.first?.tactic == RuleThreat.Tactic(id: "TA0011", name: "Command and Control", reference: "https://attack.mitre.org/tactics/TA0011/"))
        #expect(threat.first?.technique.map(\.id) == ["T1572"])
        #expect(threat.first?.technique.first?.name == "Protocol Tunneling")
        #expect(threat.first?.technique.first?.subtechnique == [])
    }

    @Test("bundled rule raw JSON")
    func bundledJSON() throws {
        let rule = try Rule.bundled()
        let object = try #require(JSONSerialization.jsonObject(with: Data(rule.json.utf8)) as? [String: Any])
        #expect(object["rule_id"] as? String == rule.ruleID)
        #expect(object["author"] as? [String] == ["Elastic"])
        #expect(object["enabled"] as? Bool == true)
    }

    @Test("defaults for optional fields")
    func defaults() throws {
        let rule = try Rule(json: Array(Self.minimal.utf8))
        #expect(rule.version == 1)
        #expect(rule.language == "eql")
        #expect(rule.maxSignals == 100)
        #expect(rule.interval == "5m")
        #expect(rule.from == "now-6m")
        #expect(rule.index == [])
        #expect(rule.threat == [])
        #expect(rule.timestampOverride == nil)
        #expect(rule.note == nil)
    }

    @Test("subtechniques")
    func subtechniques() throws {
        let threat = #"""
            [{"framework":"MITRE ATT&CK","tactic":{"id":"TA0011","name":"C2","reference":"r"},
              "technique":[{"id":"T1090","name":"Proxy","reference":"r2",
                            "subtechnique":[{"id":"T1090.001","name":"Internal Proxy","reference":"r3"}]}]}]
            """#
        let rule = try Rule(json: Array(try minimalWith("threat", threat).utf8))
        #expect(rule.threat.first?.technique.first?.subtechnique.first?.id == "T1090.001")
    }

    @Test("missing required fields")
    func missingFields() throws {
        for field in ["rule_id", "name", "description", "type", "query", "severity", "risk_score"] {
            let error = loadError(try minimalWith(field, nil))
            #expect(error?.kind == .missingField, "\(field)")
            #expect(error?.field == field, "\(field)")
            #expect(error?.message == "missing required field '\(field)'", "\(field)")
        }
        #expect(loadError(try minimalWith("name", "null"))?.kind == .missingField)
    }

    @Test("wrong field types and values")
    func invalidFields() throws {
        let cases: [(field: String, value: String, path: String, message: String)] = [
            ("risk_score", "\"47\"", "risk_score", "invalid field 'risk_score': must be an integer from 0 to 100, found a string"),
            ("risk_score", "101", "risk_score", "invalid field 'risk_score': must be an integer from 0 to 100, found 101"),
            ("severity", "\"urgent\"", "severity", "invalid field 'severity': must be one of low, medium, high, critical, found 'urgent'"),
            ("version", "0", "version", "invalid field 'version': must be an integer from 1 to 2147483647, found 0"),
            ("tags", "[\"a\",1]", "tags[1]", "invalid field 'tags[1]': must be a string, found a number"),
            ("index", "\"logs-*\"", "index", "invalid field 'index': must be an array of strings, found a string"),
            ("name", "\"  \"", "name", "invalid field 'name': must not be empty"),
            (
                "timestamp_override_fallback_disabled", "\"no\"", "timestamp_override_fallback_disabled",
                "invalid field 'timestamp_override_fallback_disabled': must be true or false, found a string"
            ),
            ("language", "\"kuery\"", "language", "invalid field 'language': must be 'eql' for a rule of type 'eql', found 'kuery'"),
            ("threat", "[1]", "threat[0]", "invalid field 'threat[0]': must be an object, found a number"),
            (
                "threat", #"[{"framework":"MITRE ATT&CK","tactic":{"id":"TA0011","name":"C2"}}]"#, "threat[0].tactic.reference",
                "missing required field 'threat[0].tactic.reference'"
            ),
        ]
        for testCase in cases {
            let error = loadError(try minimalWith(testCase.field, testCase.value))
            #expect(error?.field == testCase.path, "\(testCase.field) = \(testCase.value)")
            #expect(error?.message == testCase.message, "\(testCase.field) = \(testCase.value)")
        }
    }

    @Test("only EQL rules")
    func onlyEQL() throws {
        let error = loadError(try minimalWith("type", "\"query\""))
        #expect(error?.kind == .unsupportedType)
        #expect(error?.message == "unsupported rule type 'query': only 'eql' rules can be evaluated")
    }

    @Test("invalid JSON names the position")
    func invalidJSON() {
        let error = loadError("{\n  \"rule_id\": \"r1\",\n  \"name\" \"x\"\n}")
        #expect(error?.kind == .invalidJSON)
        #expect(error?.message == "invalid JSON at line 3, column 10: expected ':' after an object key")
        #expect(loadError("[]")?.message == "expected a rule object, found an array")
        #expect(loadError("")?.kind == .invalidJSON)
    }

    @Test("load from file")
    func loadFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("detectd-rule-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let good = directory.appendingPathComponent("good.json")
        try Data(Self.minimal.utf8).write(to: good)
        #expect(try Rule.load(contentsOf: good).ruleID == "r1")

        let bad = directory.appendingPathComponent("bad.json")
        try Data(try minimalWith("risk_score", nil).utf8).write(to: bad)
        do {
            _ = try Rule.load(contentsOf: bad)
            Issue.record("expected a load error")
        } catch {
            #expect(error.file == bad.path)
            #expect(error.description == "\(bad.path): missing required field 'risk_score'")
        }

        let missing = directory.appendingPathComponent("missing.json")
        do {
            _ = try Rule.load(contentsOf: missing)
            Issue.record("expected a load error")
        } catch {
            #expect(error.kind == .unreadable)
            #expect(error.file == missing.path)
        }
    }
}
