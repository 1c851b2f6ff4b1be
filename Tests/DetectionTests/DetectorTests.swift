import Foundation
import Testing

@testable import Detection

@Suite("Detector on the real-event corpus")
struct DetectorTests {
    struct Label: Decodable {
        let file: String
        let line: Int
        let match: Bool
        let match_latest_rule: Bool
    }

    static func labels() throws -> [Label] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/corpus/expected", withExtension: "jsonl"))
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Label.self, from: Data($0.utf8)) }
    }

    static func outcomes(of file: String, rule: CompiledRule, exceptions: CompiledExceptions = .empty) throws -> [Int: EventOutcome] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/corpus/\(file)", withExtension: nil))
        let body = Array(try Data(contentsOf: url))
        let items = try Detector().evaluate(body, format: .ndjson, rule: rule, exceptions: exceptions, receivedAt: Date())
        var outcomes: [Int: EventOutcome] = [:]
        for item in items {
            if case .line(let line) = item.position { outcomes[line] = item.outcome }
        }
        return outcomes
    }

    static func isMatch(_ outcome: EventOutcome?) -> Bool {
        if case .match = outcome { return true }
        return false
    }

    @Test("version 6 rule agrees with every label")
    func bundledRule() throws {
        let rule = try CompiledRule(Rule.bundled())
        let labels = try Self.labels()
        for file in Set(labels.map(\.file)) {
            let outcomes = try Self.outcomes(of: file, rule: rule)
            for label in labels where label.file == file {
                #expect(Self.isMatch(outcomes[label.line]) == label.match, "\(file) line \(label.line)")
            }
        }
    }

    @Test("newest rule query agrees with every label")
    func newestRule() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/rules/port-forwarding-newest-query", withExtension: "json"))
        let rule = try CompiledRule(Rule.load(contentsOf: url))
        let labels = try Self.labels()
        for file in Set(labels.map(\.file)) {
            let outcomes = try Self.outcomes(of: file, rule: rule)
            for label in labels where label.file == file {
                #expect(Self.isMatch(outcomes[label.line]) == label.match_latest_rule, "\(file) line \(label.line)")
            }
        }
    }

    @Test("host.name exception suppresses a corpus match")
    func exceptionSuppresses() throws {
        let rule = try CompiledRule(Rule.bundled())
        let item = try JSONDecoder().decode(
            ExceptionItem.self,
            from: Data(
                #"""
                {"name":"lab host","entries":[{"field":"host.name","operator":"included","type":"match","value":"MSEDGEWIN10"}]}
                """#.utf8))
        let exceptions = CompiledExceptions([(id: "lab", item: item)])
        let outcomes = try Self.outcomes(of: "eas_panache_edr_testing_rec4945-4966.elastic_agent.ndjson", rule: rule, exceptions: exceptions)
        guard case .suppressed(let id) = outcomes[13] else {
            Issue.record("line 13 was not suppressed: \(String(describing: outcomes[13]))")
            return
        }
        #expect(id == "lab")
    }

    @Test("search hit outside the index patterns is out of scope")
    func outOfScope() throws {
        let rule = try CompiledRule(Rule.bundled())
        let event = #"{"event":{"category":["registry"]},"registry":{"path":"HKLM\\SYSTEM\\ControlSet001\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/1"}}"#
        let body = Array(
            "[{\"_index\":\"logs-endpoint.events.registry-default\",\"_id\":\"1\",\"_source\":\(event)},{\"_index\":\"filebeat-8\",\"_id\":\"2\",\"_source\":\(event)}]"
                .utf8)
        let items = try Detector().evaluate(body, format: .json, rule: rule, exceptions: .empty, receivedAt: Date())
        #expect(items.count == 2)
        #expect(Self.isMatch(items[0].outcome))
        guard case .outOfScope(let index) = items[1].outcome else {
            Issue.record("second hit was evaluated: \(items[1].outcome)")
            return
        }
        #expect(index == "filebeat-8")
    }

    @Test("mixed NDJSON keeps order and positions")
    func mixedNDJSONItems() throws {
        let rule = try CompiledRule(Rule.bundled())
        let path = #"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/1"#
        let matching = #"{"event":{"category":"registry"},"registry":{"path":"\#(path)"}}"#
        // The hit's root has the rule's fields but its _source does not, so it must not match.
        let hitWithMatchingRoot =
            #"{"event":{"category":"registry"},"registry":{"path":"\#(path)"},"_index":"winlogbeat-8","_id":"h","_source":{"host":{"name":"x"}}}"#
        let body = Array(
            [
                matching, #"{"event":{"category":"network"}}"#, "", hitWithMatchingRoot, "[1]",
                #"{"_index":"winlogbeat-8","_source":"x"}"#, "{\"_index\":\"winlogbeat-8\",\"_source\":\(matching)}",
            ].joined(separator: "\n").utf8)
        let items = try Detector().evaluate(body, format: .ndjson, rule: rule, exceptions: .empty, receivedAt: Date())

        #expect(items.map(\.position) == [.line(1), .line(2), .line(4), .line(5), .line(6), .line(7)])
        #expect(Self.isMatch(items[0].outcome))
        guard case .noMatch = items[1].outcome, case .noMatch = items[2].outcome else {
            Issue.record("lines 2 and 4 matched: \(items[1].outcome), \(items[2].outcome)")
            return
        }
        guard case .invalid = items[3].outcome, case .invalid(let reason) = items[4].outcome else {
            Issue.record("lines 5 and 6 were not invalid: \(items[3].outcome), \(items[4].outcome)")
            return
        }
        #expect(reason == "expected the search hit's _source to be an object, found a string")
        #expect(Self.isMatch(items[5].outcome))
        #expect(items.itemsExceptNoMatch.map(\.position) == [.line(1), .line(5), .line(6), .line(7)])
    }

    @Test("data stream backing index is in scope")
    func dataStreamIndex() throws {
        let rule = try CompiledRule(Rule.bundled())
        #expect(rule.isInScope(index: ".ds-logs-windows.sysmon_operational-default-2024.03.01-000001"))
        #expect(rule.isInScope(index: ".ds-logs-endpoint.events.registry-default-2024.03.01-000002"))
        #expect(rule.isInScope(index: "winlogbeat-8.17.0-2024.03.01"))
        #expect(!rule.isInScope(index: ".ds-logs-system.auth-default-2024.03.01-000001"))
        #expect(!rule.isInScope(index: ".ds-filebeat-8.17.0-2024.03.01-000001"))
    }

    @Test("event without timestamps is noted")
    func missingTimestamp() throws {
        let rule = try CompiledRule(Rule.bundled())
        let body = Array(
            #"{"event":{"category":"registry"},"registry":{"path":"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/1"}}"#.utf8)
        let items = try Detector().evaluate(body, format: .json, rule: rule, exceptions: .empty, receivedAt: Date())
        #expect(items.count == 1)
        #expect(items[0].missingTimestamp)
        #expect(items[0].timestampNote == "the event has neither event.ingested nor @timestamp; the receive time was used")
        #expect(Self.isMatch(items[0].outcome))
    }

    @Test(
        "unreadable timestamps are noted",
        arguments: [
            (#""@timestamp":"garbage""#, "@timestamp 'garbage' is not a valid date; the alert time is the receive time"),
            (
                #""@timestamp":"2024-03-01T10:00:00Z","event":{"ingested":"not-a-time","category":"registry"}"#,
                "event.ingested 'not-a-time' is not a valid date; the alert time is @timestamp"
            ),
            (
                #""@timestamp":true,"event":{"ingested":"later","category":"registry"}"#,
                "event.ingested 'later' and @timestamp a value that is not a string are not valid dates; the alert time is the receive time"
            ),
            (#""@timestamp":"2024-03-01T10:00:00Z""#, nil),
        ])
    func unreadableTimestamp(members: String, note: String?) throws {
        let rule = try CompiledRule(Rule.bundled())
        let path = #"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/1"#
        let category = members.contains("\"event\"") ? "" : #","event":{"category":"registry"}"#
        let body = Array("{\(members)\(category),\"registry\":{\"path\":\"\(path)\"}}".utf8)
        let items = try Detector().evaluate(body, format: .json, rule: rule, exceptions: .empty, receivedAt: Date())
        #expect(items.count == 1)
        #expect(Self.isMatch(items[0].outcome))
        #expect(items[0].timestampNote == note)
        #expect(!items[0].missingTimestamp)
    }

    @Test("suppressed event without timestamps is noted")
    func suppressedMissingTimestamp() throws {
        let rule = try CompiledRule(Rule.bundled())
        let exceptions = CompiledExceptions([
            ("host", ExceptionItem(name: "h", entries: [ExceptionEntry(field: "host.name", type: .match, operator: .included, value: .string("h"))]))
        ])
        let path = #"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/1"#
        let body = Array(
            """
            {"event":{"category":"registry"},"host":{"name":"h"},"registry":{"path":"\(path)"}}
            {"event":{"category":"registry","ingested":"2024-03-01T10:00:05Z"},"host":{"name":"h"},"registry":{"path":"\(path)"}}
            """.utf8)
        let items = try Detector().evaluate(body, format: .ndjson, rule: rule, exceptions: exceptions, receivedAt: Date())
        #expect(items.count == 2)
        #expect(items.map(\.missingTimestamp) == [true, false])
        for item in items {
            guard case .suppressed(let exceptionID) = item.outcome else {
                Issue.record("expected a suppressed outcome, got \(item.outcome)")
                continue
            }
            #expect(exceptionID == "host")
        }
    }

    @Test("NDJSON over the event limit throws")
    func ndjsonOverLimit() throws {
        let rule = try CompiledRule(Rule.bundled())
        let detector = Detector(limits: EventDecoderLimits(maxEvents: 2))
        let evaluate = { (text: String) throws(EventBodyError) -> EvaluatedItems in
            try detector.evaluate(Array(text.utf8), format: .ndjson, rule: rule, exceptions: .empty, receivedAt: Date())
        }
        #expect(try evaluate("{}\n\n{}\n").count == 2)
        #expect(try evaluate("{}\n{}").count == 2)
        #expect(try evaluate("\n{}\n \n").count == 1)

        let error = #expect(throws: EventBodyError.self) { try evaluate("{}\n\n{}\n{}\n") }
        #expect(error?.kind == .tooManyEvents(limit: 2))
        #expect(error?.line == 4)
        #expect(error?.byteOffset == 7)
        let empty = #expect(throws: EventBodyError.self) { try evaluate("\n \r\n") }
        #expect(empty?.kind == .empty)
    }
}
