import Foundation

/// The outcome of evaluating one posted item against the rule and the exceptions.
public enum EventOutcome: Sendable {
    /// The event matched and no exception suppressed it; the alert is not yet stored.
    indirect case match(Alert)
    /// The event matched, but the exception item with this id suppressed it.
    case suppressed(exceptionID: String)
    case noMatch
    /// A search hit whose `_index` matches none of the rule's index patterns; it was not evaluated.
    case outOfScope(index: String)
    case invalid(reason: String)
}

/// One evaluated item with its place in the request body.
public struct EvaluatedItem: Sendable {
    public let position: EventPosition
    public let outcome: EventOutcome
    /// Why the alert time of a matched or suppressed event is not what its fields would suggest:
    /// it has neither `event.ingested` nor `@timestamp`, or one of them is not a valid date.
    /// Always nil for other outcomes.
    public let timestampNote: String?

    /// Whether a matched or suppressed event had neither `event.ingested` nor `@timestamp`.
    public let missingTimestamp: Bool
    /// Why the event matched or not; set only when evaluation was asked to explain, and only for
    /// events that were evaluated (not invalid or out-of-scope items).
    public var explanation: Explanation? {
        get { explanationBox?.explanation }
        set { explanationBox = newValue.map(ExplanationBox.init) }
    }
    /// The explanation behind a reference, because most items have none and a smaller item is
    /// cheaper to append to a request's results.
    private var explanationBox: ExplanationBox?

    var hasExplanation: Bool { explanationBox != nil }

    init(
        position: EventPosition, outcome: EventOutcome, missingTimestamp: Bool, timestampNote: String? = nil,
        explanation: Explanation? = nil
    ) {
        self.position = position
        self.outcome = outcome
        self.missingTimestamp = missingTimestamp
        self.timestampNote = timestampNote
        self.explanationBox = explanation.map(ExplanationBox.init)
    }
}

private final class ExplanationBox: Sendable {
    let explanation: Explanation

    init(_ explanation: Explanation) {
        self.explanation = explanation
    }
}

/// The compiled rule: the parsed query together with the rule's metadata. A class, so that
/// handing it to each evaluation costs one reference count instead of a copy of every member.
public final class CompiledRule: Sendable {
    public let rule: Rule
    public let query: EQLQuery
    let indexPatterns: [WildcardPattern]

    /// Parses the rule's query; an unsupported or invalid query fails here, at start-up.
    public init(_ rule: Rule) throws(EQLError) {
        self.rule = rule
        self.query = try EQLQuery.parse(rule.query)
        self.indexPatterns = rule.index.map { WildcardPattern(eqlValue: $0, caseInsensitive: false) }
    }

    /// Whether a search hit from `index` is in the rule's scope. Index patterns follow
    /// Elasticsearch's index expressions, where `*` is the only wildcard. A hit from a data
    /// stream names its backing index (`.ds-logs-windows.sysmon_operational-default-2024.03.01-000001`),
    /// which a pattern such as `logs-windows.*` matches in Elasticsearch through the stream's
    /// name, so the `.ds-` prefix is also tried without.
    public func isInScope(index: String) -> Bool {
        if indexPatterns.isEmpty { return true }
        if matchesIndexPattern(index) { return true }
        return index.hasPrefix(".ds-") && matchesIndexPattern(String(index.dropFirst(4)))
    }

    private func matchesIndexPattern(_ index: String) -> Bool {
        var bytes = Array(index.utf8)
        return bytes.withUnsafeMutableBytes { buffer in
            indexPatterns.contains { $0.matches(UnsafeRawBufferPointer(buffer)) }
        }
    }
}

/// Evaluates request bodies against a compiled rule.
///
/// A detector owns a simdjson parser and the buffer that field values are collected into, and
/// is not `Sendable`: use one per task or thread.
public final class Detector {
    private let decoder: EventDecoder
    private let collected = CollectedFields()
    /// The largest number of items reserved up front. The decoder's bound on an NDJSON body's items comes
    /// from its length and can be far above the real count, so beyond this the list grows as
    /// items arrive.
    private static let reservedItemLimit = 16_384

    public init(limits: EventDecoderLimits = .init()) {
        self.decoder = EventDecoder(limits: limits)
    }

    /// Decodes `body` and evaluates every event in it, in order.
    ///
    /// Throws only when the body as a whole cannot be read, because it is not JSON at all or contains
    /// too many events. A single bad NDJSON line or array element becomes an `.invalid` item.
    public func evaluate(
        _ body: [UInt8],
        format: EventBodyFormat,
        rule: CompiledRule,
        exceptions: CompiledExceptions,
        receivedAt: Date,
        explain: Bool = false
    ) throws(EventBodyError) -> EvaluatedItems {
        var items = EvaluatedItems()
        let table = rule.query.fields
        let values = collected
        // The prefetch does not own the table and the values, so they are kept alive here.
        defer {
            withExtendedLifetime(table) {}
            withExtendedLifetime(values) {}
        }
        let prefetch = FieldPrefetch(table: table, values: values)
        // The line limit of an NDJSON body is checked on the way, because a separate count of
        // line feeds costs a pass over the body. The items are dropped when decoding throws,
        // and a body over the limit costs no more work than one at the limit.
        try decoder.decode(
            body, format: format, visitBeforeLimitCheck: true, prefetch: prefetch, expecting: { items.reserveCapacity(min($0, Self.reservedItemLimit)) }
        ) { item in
            switch item {
            case .invalid(let position, let reason):
                items.append(EvaluatedItem(position: position, outcome: .invalid(reason: reason), missingTimestamp: false))
            case .event(let event) where explain:
                var item = evaluate(event, rule: rule, exceptions: exceptions, receivedAt: receivedAt)
                if Self.wasEvaluated(item.outcome) {
                    item.explanation = Self.explain(event, rule: rule, exceptions: exceptions, outcome: item.outcome, now: receivedAt)
                }
                items.append(item)
            case .event(let event):
                if let item = evaluateUnlessNoMatch(event, rule: rule, exceptions: exceptions, receivedAt: receivedAt) {
                    items.append(item)
                } else {
                    items.appendNoMatch(at: event.position)
                }
            }
        }
        return items
    }

    /// Evaluates one event, whose values of `rule.query.fields` the decoder collected into
    /// `collected`. A non-matching event costs no allocation.
    func evaluate(_ event: Event, rule: CompiledRule, exceptions: CompiledExceptions, receivedAt: Date) -> EvaluatedItem {
        evaluateUnlessNoMatch(event, rule: rule, exceptions: exceptions, receivedAt: receivedAt)
            ?? EvaluatedItem(position: event.position, outcome: .noMatch, missingTimestamp: false)
    }

    /// Evaluates one event like `evaluate`, and returns nil when it does not match, which saves
    /// building an item for most events.
    private func evaluateUnlessNoMatch(
        _ event: Event, rule: CompiledRule, exceptions: CompiledExceptions, receivedAt: Date
    ) -> EvaluatedItem? {
        let position = event.position
        if event.hit != nil, let hit = event.searchHit, !rule.isInScope(index: hit.index) {
            return EvaluatedItem(position: position, outcome: .outOfScope(index: hit.index), missingTimestamp: false)
        }
        guard rule.query.matches(event, collected: collected) else {
            return nil
        }
        let exceptionID = exceptions.firstMatch(event, now: receivedAt, collected: collected)
        // Collected after the exceptions, because both use the same buffer.
        let fields = AlertEventFields(event, into: collected)
        if let exceptionID {
            return EvaluatedItem(
                position: position, outcome: .suppressed(exceptionID: exceptionID), missingTimestamp: fields.lacksTimestamp,
                timestampNote: fields.timestampNote(in: event, alertTimeSource: nil))
        }
        let alert = AlertBuilder.build(rule: rule.rule, event: event, fields: fields, receivedAt: receivedAt)
        return EvaluatedItem(
            position: position, outcome: .match(alert), missingTimestamp: fields.lacksTimestamp,
            timestampNote: fields.timestampNote(in: event, alertTimeSource: alert.timestampSource))
    }

    private static func wasEvaluated(_ outcome: EventOutcome) -> Bool {
        switch outcome {
        case .match, .suppressed, .noMatch: true
        case .outOfScope, .invalid: false
        }
    }

    /// Explains an outcome with the slower tree evaluation; used only on request.
    private static func explain(
        _ event: Event, rule: CompiledRule, exceptions: CompiledExceptions, outcome: EventOutcome, now: Date
    ) -> Explanation {
        var exception: ExceptionExplanation?
        if case .suppressed = outcome {
            exception = exceptions.explainFirstMatch(event, now: now)
        }
        return Explanation(query: rule.query.explain(event), exception: exception)
    }
}
