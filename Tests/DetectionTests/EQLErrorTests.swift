import Testing

@testable import Detection

@Suite("EQL parse errors")
struct EQLErrorTests {
    static func parseError(_ source: String) -> EQLError? {
        #expect(throws: EQLError.self) { try EQLQuery.parse(source) }
    }

    @Test("missing value after colon")
    func missingValueAfterColon() throws {
        let error = try #require(Self.parseError("registry where\n  registry.path : )"))
        #expect(error.line == 2)
        #expect(error.column == 19)
        #expect(error.offset == 33)
        #expect(error.message == "expected a constant value after ':' but found ')'")
        #expect(error.unsupportedFeature == nil)
        #expect(error.description == "line 2, column 19: expected a constant value after ':' but found ')'\n    registry.path : )\n                    ^")
    }

    @Test("missing where")
    func missingWhere() throws {
        let error = try #require(Self.parseError("registry registry.path : \"x\""))
        #expect(error.line == 1)
        #expect(error.column == 10)
        #expect(error.message == "expected 'where' after the event category but found 'registry.path'")
    }

    @Test("unterminated string")
    func unterminatedString() throws {
        let error = try #require(Self.parseError("process where\nprocess.name == \"cmd.exe\nand true"))
        #expect(error.line == 2)
        #expect(error.column == 17)
        #expect(error.message.hasPrefix("unterminated string"))
    }

    @Test("invalid escape")
    func invalidEscape() throws {
        let error = try #require(Self.parseError(#"file where file.path : "C:\Windows""#))
        #expect(error.line == 1)
        #expect(error.column == 27)
        #expect(error.message.hasPrefix(#"invalid escape sequence '\W'"#))
    }

    @Test("single equals sign")
    func singleEquals() throws {
        let error = try #require(Self.parseError("process where process.pid = 4"))
        #expect(error.column == 27)
        #expect(error.message == "unexpected '='; write '==' to compare values")
    }

    @Test("unclosed parenthesis")
    func unclosedParenthesis() throws {
        let error = try #require(Self.parseError("any where (a == 1 or\n  b == 2"))
        #expect(error.line == 2)
        #expect(error.column == 9)
        #expect(error.message == "expected ',' or ')' to close the '(' but found end of query")
    }

    @Test("column counts characters")
    func columnCountsCharacters() throws {
        let error = try #require(Self.parseError("any where file.name == \"é\" and and"))
        #expect(error.column == 32)
        #expect(error.offset == 32)
    }

    @Test("trailing tokens")
    func trailingTokens() throws {
        let error = try #require(Self.parseError("any where a == 1 b == 2"))
        #expect(error.column == 18)
        #expect(error.message == "unexpected 'b' after the condition; join conditions with 'and' or 'or'")
    }

    @Test("unterminated comment")
    func unterminatedComment() throws {
        let error = try #require(Self.parseError("any where a == 1 /* note"))
        #expect(error.column == 18)
        #expect(error.message.hasPrefix("unterminated comment"))
    }

    @Test("chained comparison")
    func chainedComparison() throws {
        let error = try #require(Self.parseError("any where 1 < a < 3"))
        #expect(error.column == 17)
    }

    @Test("unknown function")
    func unknownFunction() throws {
        let error = try #require(Self.parseError("any where\n\tfrobnicate(a) == 1"))
        #expect(error.line == 2)
        #expect(error.column == 2)
        #expect(error.message == "unknown function 'frobnicate'")
        #expect(error.description.hasSuffix("\n  \tfrobnicate(a) == 1\n  \t^"))
    }

    @Test("wrong argument count")
    func wrongArgumentCount() throws {
        let error = try #require(Self.parseError("any where startsWith(a) "))
        #expect(error.column == 11)
        #expect(error.message == "function 'startsWith' takes 2 arguments but was given 1")
    }

    @Test("tilde on function without one")
    func tildeOnFunction() throws {
        let error = try #require(Self.parseError("any where length~(a) == 1"))
        #expect(error.message == "function 'length' has no case-insensitive form 'length~'")
    }

    @Test("invalid regex")
    func invalidRegex() throws {
        let error = try #require(Self.parseError(#"any where a regex "([a-z""#))
        #expect(error.column == 19)
        #expect(error.message.hasPrefix("invalid regular expression"))
    }

    @Test("nesting limit")
    func nestingLimit() throws {
        let source = "any where " + String(repeating: "(", count: 200) + "a == 1" + String(repeating: ")", count: 200)
        let error = try #require(Self.parseError(source))
        #expect(error.message.contains("nests deeper than"))
        let shallow = "any where " + String(repeating: "(", count: 50) + "a == 1" + String(repeating: ")", count: 50)
        #expect(throws: Never.self) { try EQLQuery.parse(shallow) }
    }

    @Test("sequence is unsupported")
    func sequenceUnsupported() throws {
        let error = try #require(Self.parseError("// note\nsequence by host.id\n  [process where true]"))
        #expect(error.unsupportedFeature == "sequence")
        #expect(error.line == 2)
        #expect(error.column == 1)
    }

    @Test("sample is unsupported")
    func sampleUnsupported() throws {
        let error = try #require(Self.parseError("sample by host.id [process where true] [network where true]"))
        #expect(error.unsupportedFeature == "sample")
    }

    @Test("pipe is unsupported")
    func pipeUnsupported() throws {
        let error = try #require(Self.parseError("process where true | head 5"))
        #expect(error.unsupportedFeature == "pipe")
        #expect(error.column == 20)
        #expect(error.message.contains("| head"))
    }

    @Test("array index is unsupported")
    func arrayIndexUnsupported() throws {
        let error = try #require(Self.parseError("process where process.args[0] == \"cmd\""))
        #expect(error.unsupportedFeature == "array index")
        #expect(error.column == 27)
    }
}
