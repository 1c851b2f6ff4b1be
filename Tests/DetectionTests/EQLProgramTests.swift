import Foundation
import Testing

@testable import Detection

/// The compiled program against the condition tree it was compiled from, and the explanation.
@Suite("EQL program")
struct EQLProgramTests {
    static let events = [
        #"{"event":{"category":["process"],"type":["start"]},"process":{"name":"powershell.exe","args":["-enc","AAA"],"pid":4,"parent":{"name":"winword.exe"}},"host":{"os":{"type":"windows"}},"user.name":"SYSTEM"}"#,
        #"{"event.category":"registry","registry":{"path":"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/1","data":{"strings":["x"]}},"host.os.type":"windows","event.type":"change"}"#,
        #"{"event":{"category":"network"},"destination":{"ip":"10.1.2.3","port":445},"process":{"name":"svchost.exe"}}"#,
    ]

    @Test("program agrees with tree on rule queries")
    func agreesWithTree() throws {
        let queries = try ConformanceTests.loadQueries().filter {
            $0.kind == "single" && ConformanceTests.leadingConstruct(of: $0.query) == nil
        }
        let events = try Self.events.map(JSONTestEvent.init(json:))
        var compared = 0
        for rule in queries {
            let query = try EQLQuery.parse(rule.query)
            for event in events {
                var inCategory = true
                if let category = query.category {
                    inCategory = false
                    event.forEachValue(of: EQLQuery.categoryField) { value in
                        if case .string(let bytes) = value, String(decoding: bytes, as: UTF8.self) == category {
                            inCategory = true
                        }
                        return !inCategory
                    }
                }
                let expected = inCategory && query.condition.holds(in: event)
                #expect(query.matches(event) == expected, "\(rule.name)")
                compared += 1
            }
        }
        #expect(compared == 859 * 3)
    }

    @Test("short-circuit jumps keep nesting")
    func nestedJumps() throws {
        let event = try JSONTestEvent(json: #"{"a":1,"b":2,"c":3}"#)
        let cases: [(String, Bool)] = [
            ("(a == 1 and b == 3) or c == 3", true),
            ("(a == 2 or b == 2) and c == 4", false),
            ("not (a == 1 and b == 2) or (c == 3 and not a == 1)", false),
            ("a == 1 and (b == 9 or (c == 3 and not b == 9))", true),
            ("(a == 9 or b == 9) or (c == 9 or a == 1)", true),
        ]
        for (condition, expected) in cases {
            #expect(try EQLQuery.parse("any where " + condition).matches(event) == expected, "\(condition)")
        }
    }

    @Test("single-constant tests match the tree")
    func specialisedTests() throws {
        let event = try JSONTestEvent(
            json: #"{"event":{"category":["network","registry"]},"n":1,"d":2.5,"b":true,"s":"Registry","m":[7,"tcp"],"z":null}"#)
        let conditions = [
            #"event.category == "registry""#, #"event.category == "Registry""#, #"n == "1""#, #"d == "2.5""#,
            #"b == "true""#, #"s == "Registry""#, #"m == "tcp""#, #"m == "7""#, #"z == "null""#, #"missing == "x""#,
            #"n : "1*""#, #"b : "tr*""#, #"s : "reg*""#, #"s like "Reg*""#, #"m : "t?p""#, #"d : "2.?""#, #"z : "*""#,
        ]
        for condition in conditions {
            let query = try EQLQuery.parse("any where " + condition)
            #expect(query.matches(event) == query.condition.holds(in: event), "\(condition)")
        }
        #expect(try EQLQuery.parse("registry where true").matches(event))
        #expect(try !EQLQuery.parse("any where s == \"registry\"").matches(event))
        #expect(try EQLQuery.parse("any where n == \"1\" and b : \"TRUE\"").matches(event))
    }

    @Test("explain lists parts with values")
    func explainParts() throws {
        let query = try EQLQuery.parse(EQLCorpusTests.latestQuery)
        let event = try JSONTestEvent(json: Self.events[1])
        let parts = query.explain(event)
        #expect(
            parts.map { $0.condition } == [
                #"event.category == "registry""#,
                #"host.os.type == "windows""#,
                #"event.type == "change""#,
                #"registry.path : "*\\SYSTEM\\*ControlSet*\\Services\\PortProxy\\v4tov4\\*""#,
                "registry.data.strings != null",
            ])
        #expect(parts.allSatisfy { $0.held })
        #expect(parts[3].values.map { $0.field } == ["registry.path"])
        #expect(parts[3].values.first?.values == [#"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4\tcp\0.0.0.0/1"#])
    }

    @Test("explain shows the failing part")
    func explainFailure() throws {
        let query = try EQLQuery.parse(EQLCorpusTests.latestQuery)
        let event = try JSONTestEvent(json: Self.events[0])
        let parts = query.explain(event)
        #expect(parts.map { $0.held } == [false, true, false, false, false])
        #expect(parts[0].values.first?.values == ["process"])
    }
}
