import Foundation
import Testing

@testable import Detection

/// Both versions of "Port Forwarding Rule Addition" against every real event of the corpus.
@Suite("EQL rule corpus")
struct EQLCorpusTests {
    static let version6Query = #"""
        registry where registry.path : "HKLM\\SYSTEM\\*ControlSet*\\Services\\PortProxy\\v4tov4\\*"
        """#

    static let latestQuery = #"""
        registry where host.os.type == "windows" and event.type == "change" and
          registry.path : "*\\SYSTEM\\*ControlSet*\\Services\\PortProxy\\v4tov4\\*" and
          registry.data.strings != null
        """#

    struct Label: Decodable {
        let file: String
        let line: Int
        let match: Bool
        let match_latest_rule: Bool
    }

    struct LabelledEvent {
        let label: Label
        let event: JSONTestEvent
    }

    static func loadCorpus() throws -> [LabelledEvent] {
        let directory = "Fixtures/corpus"
        let expectedURL = try #require(Bundle.module.url(forResource: "expected", withExtension: "jsonl", subdirectory: directory))
        let labels = try String(contentsOf: expectedURL, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Label.self, from: Data($0.utf8))
        }

        var linesByFile: [String: [Substring]] = [:]
        var result: [LabelledEvent] = []
        for label in labels {
            if linesByFile[label.file] == nil {
                let name = (label.file as NSString).deletingPathExtension
                let url = try #require(Bundle.module.url(forResource: name, withExtension: "ndjson", subdirectory: directory))
                linesByFile[label.file] = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
            }
            let lines = try #require(linesByFile[label.file])
            let event = try JSONTestEvent(json: String(lines[label.line - 1]))
            result.append(LabelledEvent(label: label, event: event))
        }
        return result
    }

    @Test("version 6 rule matches the labels")
    func version6Rule() throws {
        let query = try EQLQuery.parse(Self.version6Query)
        let corpus = try Self.loadCorpus()
        #expect(corpus.count == 57)
        for item in corpus {
            #expect(query.matches(item.event) == item.label.match, "\(item.label.file) line \(item.label.line)")
        }
        #expect(corpus.filter { query.matches($0.event) }.count == 3)
    }

    @Test("latest rule matches the labels")
    func latestRule() throws {
        let query = try EQLQuery.parse(Self.latestQuery)
        let corpus = try Self.loadCorpus()
        for item in corpus {
            #expect(
                query.matches(item.event) == item.label.match_latest_rule, "\(item.label.file) line \(item.label.line)")
        }
        #expect(corpus.filter { query.matches($0.event) }.count == 2)
    }

    @Test("rule category is registry")
    func ruleCategory() throws {
        #expect(try EQLQuery.parse(Self.version6Query).category == "registry")
        #expect(try EQLQuery.parse(Self.latestQuery).category == "registry")
    }
}
