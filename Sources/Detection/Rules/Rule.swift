import Foundation

/// A detection rule in Kibana's rule format (the fields of a rule export), of type `eql`.
///
/// The query is kept as text: compiling it is the EQL engine's job.
public struct Rule: Sendable {
    public let ruleID: String
    public let name: String
    public let description: String
    public let version: Int
    /// Always `eql`: rules of other types are rejected when loaded.
    public let type: String
    public let language: String
    public let query: String
    /// The index patterns the rule searches, such as `winlogbeat-*`.
    public let index: [String]
    /// `low`, `medium`, `high` or `critical`.
    public let severity: String
    /// From 0 to 100.
    public let riskScore: Int
    /// The maximum number of alerts one rule execution creates (Kibana's default is 100).
    public let maxSignals: Int
    /// The event field that gives an alert's time, such as `event.ingested`.
    public let timestampOverride: String?
    /// Whether events without the `timestampOverride` field are skipped instead of falling back
    /// to `@timestamp`.
    public let timestampOverrideFallbackDisabled: Bool
    public let threat: [RuleThreat]
    public let tags: [String]
    public let references: [String]
    /// The investigation guide, in Markdown.
    public let note: String?
    public let falsePositives: [String]
    /// How often Kibana runs the rule, such as `5m` (Kibana's default).
    public let interval: String
    /// The start of the lookback window, such as `now-9m` (Kibana's default is `now-6m`).
    public let from: String
    /// The rule file's JSON object, minified, with every field the file has.
    public let json: String

    public static let severities = ["low", "medium", "high", "critical"]

    /// Loads a rule from a JSON file in Kibana's rule format.
    public static func load(contentsOf url: URL) throws(RuleLoadError) -> Rule {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw RuleLoadError(
                kind: .unreadable, file: url.path,
                message: "cannot read the rule file: \(error.localizedDescription)")
        }
        do {
            return try Rule(json: [UInt8](data))
        } catch var error {
            error.file = url.path
            throw error
        }
    }

    /// Loads the built-in rule, Elastic's "Port Forwarding Rule Addition", version 6.
    public static func bundled() throws(RuleLoadError) -> Rule {
        guard let url = Bundle.module.url(forResource: "port-forwarding-rule-addition", withExtension: "json") else {
            throw RuleLoadError(
                kind: .unreadable, file: "port-forwarding-rule-addition.json",
                message: "the built-in rule file is missing from the Detection resource bundle")
        }
        return try load(contentsOf: url)
    }

    /// Decodes a rule from the UTF-8 JSON text of one rule object.
    public init(json bytes: [UInt8]) throws(RuleLoadError) {
        let parser = SimdJSONParser(maxDepth: 64)
        let padded = PaddedBytes(bytes)
        let result = padded.withUnsafeBytes { start in
            parser.parse(start, count: padded.count)
        }
        switch result {
        case .failure(let failure):
            throw Self.syntaxError(in: bytes, failure: failure, maxDepth: parser.maxDepth)
        case .success(let root):
            guard root.type == .object else {
                throw RuleLoadError(kind: .invalidJSON, message: "expected a rule object, found \(root.type.nameWithArticle)")
            }
            try self.init(RuleObjectReader(object: root, path: ""))
        }
    }

    private init(_ rule: RuleObjectReader) throws(RuleLoadError) {
        type = try rule.requiredString("type")
        guard type == "eql" else {
            throw RuleLoadError(
                kind: .unsupportedType, field: "type",
                message: "unsupported rule type '\(type)': only 'eql' rules can be evaluated")
        }
        language = try rule.optionalString("language") ?? "eql"
        guard language == "eql" else {
            throw rule.invalid("language", "must be 'eql' for a rule of type 'eql', found '\(language)'")
        }

        ruleID = try rule.requiredNonEmptyString("rule_id")
        name = try rule.requiredNonEmptyString("name")
        description = try rule.requiredString("description")
        version = try rule.optionalInteger("version", in: 1...Int(Int32.max)) ?? 1
        query = try rule.requiredNonEmptyString("query")
        index = try rule.stringArray("index")

        severity = try rule.requiredString("severity")
        guard Self.severities.contains(severity) else {
            throw rule.invalid("severity", "must be one of \(Self.severities.joined(separator: ", ")), found '\(severity)'")
        }
        riskScore = try rule.requiredInteger("risk_score", in: 0...100)
        maxSignals = try rule.optionalInteger("max_signals", in: 1...Int(Int32.max)) ?? 100

        timestampOverride = try rule.optionalString("timestamp_override")
        timestampOverrideFallbackDisabled = try rule.optionalBool("timestamp_override_fallback_disabled") ?? false
        threat = try rule.objectArray("threat").map { (entry) throws(RuleLoadError) in try Self.threat(entry) }
        tags = try rule.stringArray("tags")
        references = try rule.stringArray("references")
        note = try rule.optionalString("note")
        falsePositives = try rule.stringArray("false_positives")
        interval = try rule.optionalString("interval") ?? "5m"
        from = try rule.optionalString("from") ?? "now-6m"
        json = rule.object.minifiedJSON()
    }

    private static func threat(_ entry: RuleObjectReader) throws(RuleLoadError) -> RuleThreat {
        let tactic = try entry.requiredObject("tactic")
        let techniques = try entry.objectArray("technique").map { (technique) throws(RuleLoadError) in
            RuleThreat.Technique(
                id: try technique.requiredString("id"),
                name: try technique.requiredString("name"),
                reference: try technique.requiredString("reference"),
                subtechnique: try technique.objectArray("subtechnique").map { (subtechnique) throws(RuleLoadError) in
                    RuleThreat.Subtechnique(
                        id: try subtechnique.requiredString("id"),
                        name: try subtechnique.requiredString("name"),
                        reference: try subtechnique.requiredString("reference"))
                })
        }
        return RuleThreat(
            framework: try entry.requiredString("framework"),
            tactic: RuleThreat.Tactic(
                id: try tactic.requiredString("id"),
                name: try tactic.requiredString("name"),
                reference: try tactic.requiredString("reference")),
            technique: techniques)
    }

    private static func syntaxError(in bytes: [UInt8], failure: SimdJSONError, maxDepth: Int) -> RuleLoadError {
        bytes.withUnsafeBufferPointer { buffer in
            guard let error = JSONSyntaxScanner.firstError(in: buffer, maxDepth: maxDepth) else {
                return RuleLoadError(kind: .invalidJSON, message: "invalid JSON: \(failure.message)")
            }
            let (line, column) = textPosition(of: error.byteOffset, in: buffer)
            return RuleLoadError(
                kind: .invalidJSON,
                message: "invalid JSON at line \(line), column \(column): \(error.message)")
        }
    }
}
