import Foundation
import Testing

@testable import Detection

@Suite("WildcardPattern")
struct WildcardPatternTests {
    /// The version 6 rule pattern after EQL string unescaping.
    static let rulePattern = WildcardPattern(
        eqlValue: #"HKLM\SYSTEM\*ControlSet*\Services\PortProxy\v4tov4\*"#, caseInsensitive: true)

    @Test("Sysmon path with mixed case")
    func sysmonPath() {
        #expect(Self.rulePattern.matches(#"HKLM\System\CurrentControlSet\services\PortProxy\v4tov4\tcp\1.2.3.4/8001"#))
    }

    @Test("Elastic Endpoint path")
    func endpointPath() {
        #expect(Self.rulePattern.matches(#"HKLM\SYSTEM\ControlSet001\Services\PortProxy\v4tov4\tcp\0.0.0.0/8080"#))
        #expect(Self.rulePattern.matches(#"hklm\system\controlset001\services\portproxy\V4TOV4\TCP"#))
    }

    @Test("key without value does not match")
    func bareKey() {
        #expect(!Self.rulePattern.matches(#"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4"#))
    }

    @Test("key with trailing backslash matches")
    func trailingBackslash() {
        #expect(Self.rulePattern.matches(#"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov4\"#))
    }

    @Test("v4tov6 does not match")
    func v4tov6() {
        #expect(!Self.rulePattern.matches(#"HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\v4tov6\tcp\1.2.3.4/80"#))
    }

    @Test("other services do not match")
    func otherService() {
        #expect(!Self.rulePattern.matches(#"HKLM\System\CurrentControlSet\Services\Tcpip\Parameters"#))
        #expect(!Self.rulePattern.matches(#"HKU\S-1-5-19\Software\PortProxy\v4tov4\tcp"#))
    }

    @Test("case-sensitive pattern")
    func caseSensitive() {
        let pattern = WildcardPattern(eqlValue: "Power*.exe", caseInsensitive: false)
        #expect(pattern.matches("PowerShell.exe"))
        #expect(!pattern.matches("powershell.exe"))
    }

    @Test("question mark is one character")
    func questionMark() {
        let pattern = WildcardPattern(eqlValue: "a?c", caseInsensitive: false)
        #expect(pattern.matches("abc"))
        #expect(pattern.matches("aéc"))
        #expect(pattern.matches("a😀c"))
        #expect(!pattern.matches("ac"))
        #expect(!pattern.matches("abbc"))
    }

    @Test("non-ASCII case folding")
    func unicodeFolding() {
        let pattern = WildcardPattern(eqlValue: "*ÉCOLE*ΣΟΦΙΑ", caseInsensitive: true)
        #expect(pattern.matches("c:\\école\\σοφια"))
        #expect(pattern.matches("c:\\École\\ΣΟΦΙΑ"))
        #expect(WildcardPattern(eqlValue: "σοφιας", caseInsensitive: true).matches("ΣΟΦΙΑΣ"))
        #expect(WildcardPattern(eqlValue: "σοφιας", caseInsensitive: true).matches("σοφιaς") == false)
        #expect(WildcardPattern(eqlValue: "straße", caseInsensitive: true).matches("STRAßE"))
    }

    @Test("empty pattern and subject")
    func empties() {
        #expect(WildcardPattern(eqlValue: "", caseInsensitive: false).matches(""))
        #expect(!WildcardPattern(eqlValue: "", caseInsensitive: false).matches("a"))
        #expect(WildcardPattern(eqlValue: "*", caseInsensitive: false).matches(""))
        #expect(!WildcardPattern(eqlValue: "?", caseInsensitive: false).matches(""))
    }

    @Test("invalid UTF-8 matches only wildcards")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62]
        bytes.withUnsafeBytes { buffer in
            #expect(WildcardPattern(eqlValue: "a?b", caseInsensitive: true).matches(buffer))
            #expect(WildcardPattern(eqlValue: "a*", caseInsensitive: true).matches(buffer))
            #expect(!WildcardPattern(eqlValue: "a\u{FFFD}b", caseInsensitive: true).matches(buffer))
        }
    }

    @Test("Elasticsearch escapes")
    func elasticsearchEscapes() {
        #expect(WildcardPattern(elasticsearchWildcard: #"a\*"#, caseInsensitive: false).matches("a*"))
        #expect(!WildcardPattern(elasticsearchWildcard: #"a\*"#, caseInsensitive: false).matches("ab"))
        #expect(WildcardPattern(elasticsearchWildcard: #"a\?"#, caseInsensitive: false).matches("a?"))
        #expect(WildcardPattern(elasticsearchWildcard: #"C:\\Windows\\*"#, caseInsensitive: false).matches(#"C:\Windows\x.exe"#))
        #expect(WildcardPattern(elasticsearchWildcard: #"C:\Windows"#, caseInsensitive: false).matches("C:Windows"))
        #expect(WildcardPattern(elasticsearchWildcard: #"end\"#, caseInsensitive: false).matches(#"end\"#))
    }

    @Test("EQL value keeps backslashes literal")
    func eqlBackslashes() {
        #expect(WildcardPattern(eqlValue: #"a\*"#, caseInsensitive: false).matches(#"a\bc"#))
        #expect(!WildcardPattern(eqlValue: #"a\*"#, caseInsensitive: false).matches("a*"))
    }

    @Test("pathological pattern stays fast")
    func pathological() {
        let pattern = WildcardPattern(eqlValue: "*a*a*a*a*a*a*a*a*b", caseInsensitive: true)
        // An exponential matcher would not finish this: eight stars over 100,000 characters.
        let subject = String(repeating: "a", count: 100_000)
        #expect(!pattern.matches(subject))
        #expect(pattern.matches(subject + "b"))
    }

    /// The number of random pattern and subject pairs the oracle tests compare. CI runs the
    /// default; `scripts/wildcard-property.sh` sets DETECTD_WILDCARD_PAIRS=1000000.
    static var oraclePairs: Int {
        ProcessInfo.processInfo.environment["DETECTD_WILDCARD_PAIRS"].flatMap(Int.init) ?? 20_000
    }

    /// Characters whose case folding is one scalar to one scalar in both this matcher and ICU,
    /// including the non-ASCII ones that fold across scripts: Kelvin sign to k, long s to s, and
    /// the three Greek sigmas. Full foldings such as ß to ss are left out, because ICU applies
    /// them and Elasticsearch's wildcard matching does not.
    static let subjectAlphabet: [String] = [
        "a", "b", "k", "s", "A", "B", "K", "S", "é", "É", "ω", "Ω", "σ", "Σ", "ς", "\u{212A}", "ſ", "д", "Д",
        "\\", "/", ".", "😀", "*", "?", " ",
    ]
    static let patternAlphabet: [String] = subjectAlphabet + ["*", "?", "*", "?"]

    @Test("agrees with a regex oracle")
    func randomizedOracle() throws {
        var generator = SplitMix64(seed: 0x5EED_1234)
        let pairs = Self.oraclePairs
        var matchCount = 0
        var disagreements = 0
        for iteration in 0..<pairs {
            let pattern = Self.randomText(Self.patternAlphabet, maxLength: 7, using: &generator)
            let subject = Self.randomText(Self.subjectAlphabet, maxLength: 10, using: &generator)
            let caseInsensitive = iteration % 2 == 0

            let expected = try Self.oracle(pattern: pattern, caseInsensitive: caseInsensitive, subject: subject)
            let actual = WildcardPattern(eqlValue: pattern, caseInsensitive: caseInsensitive).matches(subject)
            if actual != expected {
                disagreements += 1
                // Report the first few cases only, so that a broken matcher does not flood the log.
                if disagreements <= 5 {
                    Issue.record("pattern \(pattern) subject \(subject) caseInsensitive \(caseInsensitive): expected \(expected)")
                }
            }
            matchCount += expected ? 1 : 0
        }
        #expect(disagreements == 0)
        // Both outcomes must be well represented, or the comparison proves little.
        #expect(matchCount > pairs / 50)
        #expect(matchCount < pairs - pairs / 50)
        print("wildcard oracle: \(pairs) pairs, \(matchCount) match, \(disagreements) disagree")
    }

    @Test("Elasticsearch escapes agree with oracle")
    func escapedOracle() throws {
        var generator = SplitMix64(seed: 0xE5C4_9E5)
        let pairs = Self.oraclePairs / 4
        var disagreements = 0
        for _ in 0..<pairs {
            // A pattern of literal runs, escaped wildcards and backslashes, and real wildcards.
            var pattern = ""
            var oraclePattern = ""
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                switch Int.random(in: 0..<6, using: &generator) {
                case 0: pattern += "*"; oraclePattern += "*"
                case 1: pattern += "?"; oraclePattern += "?"
                case 2: pattern += "\\*"; oraclePattern += "\u{1}"
                case 3: pattern += "\\\\"; oraclePattern += "\\"
                default:
                    let character = ["a", "B", "é", "/"].randomElement(using: &generator)!
                    pattern += character
                    oraclePattern += character
                }
            }
            let subject = Self.randomText(["a", "b", "B", "é", "*", "\\", "/"], maxLength: 8, using: &generator)
            // The oracle sees a literal * as U+0001 in both pattern and subject.
            let oracleSubject = subject.replacingOccurrences(of: "*", with: "\u{1}")
            let expected = try Self.oracle(pattern: oraclePattern, caseInsensitive: false, subject: oracleSubject)
            let actual = WildcardPattern(elasticsearchWildcard: pattern, caseInsensitive: false).matches(subject)
            if actual != expected {
                disagreements += 1
                if disagreements <= 5 {
                    Issue.record("pattern \(pattern) subject \(subject): expected \(expected)")
                }
            }
        }
        #expect(disagreements == 0)
    }

    @Test("ASCII-only folding agrees with oracle")
    func asciiOracle() throws {
        var generator = SplitMix64(seed: 0xA5C1_1F01)
        let pairs = Self.oraclePairs / 2
        var matchCount = 0
        var disagreements = 0
        // Exception entries compile with Elasticsearch's escapes, so the patterns leave out `\`,
        // which would escape the next character; the subjects keep it.
        let patternAlphabet = Self.patternAlphabet.filter { $0 != "\\" }
        for _ in 0..<pairs {
            let pattern = Self.randomText(patternAlphabet, maxLength: 7, using: &generator)
            let subject = Self.randomText(Self.subjectAlphabet, maxLength: 10, using: &generator)
            let compiled = WildcardPattern(elasticsearchWildcard: pattern, caseMatching: .asciiLetters)
            let expected = try Self.asciiOracle(pattern: pattern, subject: subject)
            if compiled.matches(subject) != expected {
                disagreements += 1
                if disagreements <= 5 {
                    Issue.record("pattern \(pattern) subject \(subject) ASCII folding: expected \(expected)")
                }
            }
            matchCount += expected ? 1 : 0
        }
        #expect(disagreements == 0)
        #expect(matchCount > pairs / 50)
        #expect(matchCount < pairs - pairs / 50)
        print("wildcard ASCII-folding oracle: \(pairs) pairs, \(matchCount) match, \(disagreements) disagree")
    }

    @Test("ASCII-only folding keeps non-ASCII case")
    func asciiFolding() {
        let pattern = WildcardPattern(literal: "JOSÉ", caseMatching: .asciiLetters)
        #expect(pattern.matches("josÉ"))
        #expect(pattern.matches("JoSÉ"))
        #expect(!pattern.matches("josé"))
        #expect(!WildcardPattern(literal: "k", caseMatching: .asciiLetters).matches("\u{212A}"))
        #expect(!WildcardPattern(literal: "σ", caseMatching: .asciiLetters).matches("ς"))
        #expect(WildcardPattern(elasticsearchWildcard: "C:\\\\*\\*", caseMatching: .asciiLetters).matches("c:\\X*"))
        #expect(WildcardPattern(literal: "JOSÉ", caseInsensitive: true).matches("josé"))
    }

    static func randomText(_ alphabet: [String], maxLength: Int, using generator: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...maxLength, using: &generator)).map { _ in
            alphabet.randomElement(using: &generator)!
        }.joined()
    }

    /// Translates the wildcard pattern into an anchored, case-sensitive ICU regular expression
    /// in which each ASCII letter becomes a class of its two cases, such as `[kK]`.
    static func asciiOracle(pattern: String, subject: String) throws -> Bool {
        var regex = "^"
        for character in pattern {
            switch character {
            case "*": regex += ".*"
            case "?": regex += "."
            case _ where character.isASCII && character.isLetter:
                regex += "[\(character.lowercased())\(character.uppercased())]"
            default: regex += NSRegularExpression.escapedPattern(for: String(character))
            }
        }
        regex += "$"
        let expression = try NSRegularExpression(pattern: regex, options: [.dotMatchesLineSeparators])
        let range = NSRange(subject.startIndex..<subject.endIndex, in: subject)
        return expression.firstMatch(in: subject, range: range) != nil
    }

    /// Translates the wildcard pattern into an anchored ICU regular expression.
    static func oracle(pattern: String, caseInsensitive: Bool, subject: String) throws -> Bool {
        var regex = "^"
        for character in pattern {
            switch character {
            case "*": regex += ".*"
            case "?": regex += "."
            default: regex += NSRegularExpression.escapedPattern(for: String(character))
            }
        }
        regex += "$"
        var options: NSRegularExpression.Options = [.dotMatchesLineSeparators]
        if caseInsensitive {
            options.insert(.caseInsensitive)
        }
        let expression = try NSRegularExpression(pattern: regex, options: options)
        let range = NSRange(subject.startIndex..<subject.endIndex, in: subject)
        return expression.firstMatch(in: subject, range: range) != nil
    }
}

/// A small seeded generator, so that a failing oracle case can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
