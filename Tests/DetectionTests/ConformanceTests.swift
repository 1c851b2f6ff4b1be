import Foundation
import Testing

@testable import Detection

/// Parses the query of every single-event EQL rule in Elastic's detection-rules repository.
@Suite("EQL conformance")
struct ConformanceTests {
    struct RuleQuery: Decodable {
        let rule_id: String
        let name: String
        let kind: String
        let query: String
    }

    static func loadQueries() throws -> [RuleQuery] {
        let url = try #require(
            Bundle.module.url(
                forResource: "detection-rules-eql-queries", withExtension: "jsonl",
                subdirectory: "Fixtures/eql-conformance"))
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { line in
            try decoder.decode(RuleQuery.self, from: Data(line.utf8))
        }
    }

    @Test("every single-event rule query parses")
    func singleEventQueriesParse() throws {
        let queries = try Self.loadQueries().filter { $0.kind == "single" }
        var parsed = 0
        var unsupported: [String: Int] = [:]
        var failures: [String] = []

        for rule in queries {
            do {
                _ = try EQLQuery.parse(rule.query)
                parsed += 1
            } catch {
                if let feature = error.unsupportedFeature {
                    unsupported[feature, default: 0] += 1
                } else {
                    failures.append("\(rule.name) (\(rule.rule_id)): \(error)")
                }
            }
        }

        let unsupportedCount = unsupported.values.reduce(0, +)
        print("EQL conformance: \(queries.count) single-event queries, \(parsed) parsed, \(unsupportedCount) failed by a named unsupported feature \(unsupported.sorted { $0.key < $1.key }), \(failures.count) failed otherwise")
        for failure in failures {
            print("EQL conformance failure: \(failure)")
        }
        #expect(queries.count == 865)
        #expect(failures.isEmpty)
    }

    @Test("sequence and sample queries name the feature")
    func sequencesAndSamplesNameTheirFeature() throws {
        let queries = try Self.loadQueries().filter { $0.kind == "sequence" || $0.kind == "sample" }
        #expect(queries.count == 214)
        for rule in queries {
            let error = #expect(throws: EQLError.self) { try EQLQuery.parse(rule.query) }
            #expect(error?.unsupportedFeature == rule.kind, "\(rule.name): \(String(describing: error))")
        }
    }

    /// The fixture labels a query `pipe` when it contains `|`. In both such rules the `|` is
    /// inside a string or a comment, so the query is a plain single-event query.
    @Test("pipe-labelled queries parse when the pipe is quoted")
    func pipeLabelledQueries() throws {
        let queries = try Self.loadQueries().filter { $0.kind == "pipe" }
        #expect(queries.count == 2)
        for rule in queries {
            let hasPipeToken = EQLLexer.tokens(of: rule.query).contains { $0.isSymbol(.pipe) }
            if hasPipeToken {
                let error = #expect(throws: EQLError.self) { try EQLQuery.parse(rule.query) }
                #expect(error?.unsupportedFeature == "pipe", "\(rule.name)")
            } else {
                #expect(throws: Never.self, "\(rule.name)") { try EQLQuery.parse(rule.query) }
            }
        }
    }
}
