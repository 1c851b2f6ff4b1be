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

    /// Parses and compiles `source`. Sequences, samples, joins and pipes raise an `EQLError`
    /// whose `unsupportedFeature` names the construct.
    public static func parse(_ source: String) throws(EQLError) -> EQLQuery {
        var parser = EQLParser(source)
        let (category, syntax) = try parser.parseQuery()
        let condition = try EQLCompiler(source: source).compileCondition(syntax)
        return EQLQuery(source: source, category: category, condition: condition)
    }

    private init(source: String, category: String?, condition: EQLCondition) {
        self.source = source
        self.category = category
        self.condition = condition

        var whole = condition
        if let category {
            let categoryTest = EQLCondition.field(
                Self.categoryField, .equals([EQLConstant(.string(category))], caseInsensitive: false))
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

    /// Returns whether the query matches `event`, whose fields `collected` already holds
    /// (collected with `fields`).
    func matches(_ event: some EventFields, collected: CollectedFields) -> Bool {
        program.holds(collected, event: event)
    }
}
