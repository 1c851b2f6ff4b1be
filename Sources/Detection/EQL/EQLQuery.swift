/// A compiled single-event EQL query (`CATEGORY where CONDITION`) with Elasticsearch 8.x
/// semantics, evaluated against one event at a time.
public struct EQLQuery: Sendable {
    /// The field that `CATEGORY where` tests, as in Elastic Common Schema.
    static let categoryField = FieldPath("event.category")

    /// The query text as given.
    public let source: String
    /// The event category, or `nil` for `any where`.
    public let category: String?
    private let categoryTest: EQLValueTest?
    let condition: EQLCondition

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
        self.categoryTest = category.map { .equals([EQLConstant(.string($0))], caseInsensitive: false) }
    }

    /// Returns whether the event is of the query's category (any element of `event.category`) and
    /// satisfies its condition.
    public func matches(_ event: some EventFields) -> Bool {
        if let categoryTest {
            var inCategory = false
            event.forEachValue(of: Self.categoryField) { value in
                inCategory = categoryTest.passes(value)
                return !inCategory
            }
            guard inCategory else {
                return false
            }
        }
        return condition.holds(in: event)
    }
}
