/// A compiled single-event EQL query (`CATEGORY where CONDITION`) with Elasticsearch 8.x
/// semantics, evaluated against one event at a time.
public struct EQLQuery: Sendable {
    /// The field that `CATEGORY where` tests, as in Elastic Common Schema.
    static let categoryField = FieldPath("event.category")

    /// The query text as given.
    public let source: String
    /// The event category, or `nil` for `any where`.
    public let category: String?
    /// The condition after the category test, as a tree: the form that explanations walk.
    let condition: EQLCondition
    /// The category test and the condition as one program over `fields`.
    let program: EQLProgram
    /// Every field the program tests, resolved once so that an event is walked once.
    let fields: FieldTable
    /// The category test and the parts that `and` and `or` join, each compiled on its own.
    let explainedParts: [ExplainedPart]

    /// Parses and compiles `source`. Sequences, samples, joins and pipes raise an `EQLError`
    /// whose `unsupportedFeature` names the construct.
    public static func parse(_ source: String) throws(EQLError) -> EQLQuery {
        var parser = EQLParser(source)
        let (category, syntax) = try parser.parseQuery()
        let compiler = EQLCompiler(source: source)
        let condition = try compiler.compileCondition(syntax)

        var parts: [ExplainedPart] = []
        if let category {
            let test = Self.categoryTest(category)
            parts.append(ExplainedPart(text: "event.category == \"\(category)\"", condition: test, fields: [Self.categoryField]))
        }
        for node in Self.joinedParts(of: syntax) {
            let part = try compiler.compileCondition(node)
            let bytes = Array(source.utf8)
            let text = String(decoding: bytes[node.offset..<max(node.offset, min(node.end, bytes.count))], as: UTF8.self)
            parts.append(ExplainedPart(text: text, condition: part, fields: part.fieldPaths))
        }
        return EQLQuery(source: source, category: category, condition: condition, explainedParts: parts)
    }

    /// The operands of the `and` and `or` operators at the top of `node`, left to right.
    private static func joinedParts(of node: EQLNode) -> [EQLNode] {
        switch node.syntax {
        case .and(let left, let right), .or(let left, let right):
            joinedParts(of: left) + joinedParts(of: right)
        default:
            [node]
        }
    }

    private static func categoryTest(_ category: String) -> EQLCondition {
        .field(categoryField, .equals([EQLConstant(.string(category))], caseInsensitive: false))
    }

    private init(source: String, category: String?, condition: EQLCondition, explainedParts: [ExplainedPart]) {
        self.source = source
        self.category = category
        self.condition = condition
        self.explainedParts = explainedParts

        var whole = condition
        if let category {
            let categoryTest = Self.categoryTest(category)
            if case .all(let parts) = condition {
                whole = .all([categoryTest] + parts)
            } else {
                whole = .all([categoryTest, condition])
            }
        }
        fields = FieldTable(EQLProgram.fields(of: whole))
        program = EQLProgram(whole, fields: fields)
    }

    /// Returns whether the event is of the query's category (any element of `event.category`) and
    /// satisfies its condition.
    public func matches(_ event: some EventFields) -> Bool {
        program.holds(EventFieldSlots(event: event, table: fields), event: event)
    }

    /// Evaluates every part of the query on its own, without short-circuiting, and returns each
    /// result with the values it read.
    public func explain(_ event: some EventFields) -> [ConditionExplanation] {
        explainedParts.map { $0.explain(event) }
    }

    /// Returns whether the query matches `event`, whose fields `collected` already holds
    /// (collected with `fields`).
    func matches(_ event: some EventFields, collected: CollectedFields) -> Bool {
        program.holds(collected, event: event)
    }
}
