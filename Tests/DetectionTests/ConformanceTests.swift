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

    /// The construct a query starts with once comments are skipped. The fixture labels a query
    /// by its first line, so a sequence behind a leading comment is labelled `single`.
    static func leadingConstruct(of query: String) -> String? {
        guard case .word(let word, false) = EQLLexer.tokens(of: query).first?.kind else {
            return nil
        }
        return ["sequence", "sample", "join"].contains(word) ? word : nil
    }

    @Test("every single-event rule query parses")
    func singleEventQueriesParse() throws {
        let labelled = try Self.loadQueries().filter { $0.kind == "single" }
        let queries = labelled.filter { Self.leadingConstruct(of: $0.query) == nil }
        var parsed = 0
        var failures: [String] = []

        for rule in queries {
            do {
                _ = try EQLQuery.parse(rule.query)
                parsed += 1
            } catch {
                failures.append("\(rule.name) (\(rule.rule_id)): \(error)")
            }
        }

        print("EQL conformance: \(labelled.count) queries labelled single, \(queries.count) single-event, \(parsed) parsed, \(failures.count) failed")
        for failure in failures {
            print("EQL conformance failure: \(failure)")
        }
        #expect(labelled.count == 865)
        #expect(queries.count == 859)
        #expect(parsed == 859)
        #expect(failures.isEmpty)
    }

    @Test("sequences behind a comment are rejected")
    func commentedSequencesAreRejected() throws {
        let queries = try Self.loadQueries().filter { $0.kind == "single" && Self.leadingConstruct(of: $0.query) != nil }
        #expect(queries.count == 6)
        for rule in queries {
            let error = #expect(throws: EQLError.self) { try EQLQuery.parse(rule.query) }
            #expect(error?.unsupportedFeature == "sequence", "\(rule.name)")
            #expect(error?.sourceLine.hasPrefix("sequence") == true, "\(rule.name)")
            #expect(error?.column == 1, "\(rule.name)")
        }
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
