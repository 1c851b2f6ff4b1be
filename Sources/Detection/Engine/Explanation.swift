/// Why an event matched or did not: each part of the query with its result and the field values
/// it read, and the exception item that suppressed the event.
public struct Explanation: Sendable {
    public let query: [ConditionExplanation]
    /// The item that suppressed the event; nil when none did or the query did not match.
    public let exception: ExceptionExplanation?
}

/// One part of a query: a condition that `and` and `or` join, such as
/// `registry.path : "HKLM\\*"`, or the category test that `registry where` implies.
public struct ConditionExplanation: Sendable {
    /// The condition as written in the query.
    public let condition: String
    public let held: Bool
    /// The values of each field the condition reads, in the order the condition names them.
    public let values: [FieldValues]
}

/// The values an event has for one field, as text: strings as they are, numbers in decimal,
/// Booleans as `true` or `false`. At most `FieldValues.maxCount` values are kept.
public struct FieldValues: Sendable, Equatable {
    public static let maxCount = 10
    public let field: String
    public let values: [String]

    init(_ path: FieldPath, in event: some EventFields) {
        var values: [String] = []
        event.forEachValue(of: path) { value in
            values.append(value.withStringForm { String(decoding: $0, as: UTF8.self) })
            return values.count < Self.maxCount
        }
        self.field = path.name
        self.values = values
    }

    /// Copies the values that a walk collected for `slot`, under the name of `path`.
    init(_ path: FieldPath, slot: Int, in slots: some FieldSlots) {
        var values: [String] = []
        slots.forEachValue(inSlot: slot) { value in
            values.append(value.withStringForm { String(decoding: $0, as: UTF8.self) })
            return values.count < Self.maxCount
        }
        self.field = path.name
        self.values = values
    }
}

/// The exception item that suppressed an event, with the result of its `os_types` test and of
/// each entry.
public struct ExceptionExplanation: Sendable {
    public let id: String
    public let name: String
    /// Nil when the item lists no `os_types` and so applies on every operating system.
    public let osTypes: OSTypesExplanation?
    public let entries: [EntryExplanation]
}

/// An item's `os_types` test: whether the event's `host.os.type` is one of the listed systems,
/// compared without regard to case.
public struct OSTypesExplanation: Sendable {
    /// The item's `os_types`, such as `windows`.
    public let listed: [String]
    public let held: Bool
    /// The event's `host.os.type` values.
    public let values: FieldValues
}

public struct EntryExplanation: Sendable {
    /// JSON pointer (RFC 6901) to the entry in the item, such as `/entries/1`.
    public let pointer: String
    public let entry: ExceptionEntry
    public let held: Bool
    public let values: FieldValues
}

/// One part of a query compiled on its own, so that it can be evaluated and reported alone.
struct ExplainedPart: Sendable {
    let text: String
    let condition: EQLCondition
    let fields: [FieldPath]

    func explain(_ event: some EventFields) -> ConditionExplanation {
        ConditionExplanation(
            condition: text,
            held: condition.holds(in: event),
            values: fields.map { FieldValues($0, in: event) })
    }
}

extension EQLCondition {
    /// Every field the condition reads, directly or through an expression, without repeats.
    var fieldPaths: [FieldPath] {
        var paths: [FieldPath] = []
        collectFieldPaths(into: &paths)
        return paths
    }

    private func collectFieldPaths(into paths: inout [FieldPath]) {
        switch self {
        case .constant:
            break
        case .all(let parts), .any(let parts):
            for part in parts {
                part.collectFieldPaths(into: &paths)
            }
        case .not(let inner):
            inner.collectFieldPaths(into: &paths)
        case .exists(let path), .missing(let path), .field(let path, _):
            if !paths.contains(path) {
                paths.append(path)
            }
        case .expression(let plan):
            plan.collectFieldPaths(into: &paths)
        }
    }
}

extension EQLExpressionPlan {
    fileprivate func collectFieldPaths(into paths: inout [FieldPath]) {
        switch self {
        case .literal:
            break
        case .field(let path):
            if !paths.contains(path) {
                paths.append(path)
            }
        case .function(_, _, let arguments):
            for argument in arguments {
                argument.collectFieldPaths(into: &paths)
            }
        case .arithmetic(_, let left, let right), .comparison(_, let left, let right):
            left.collectFieldPaths(into: &paths)
            right.collectFieldPaths(into: &paths)
        case .negate(let operand):
            operand.collectFieldPaths(into: &paths)
        case .membership(let subject, let candidates, _):
            subject.collectFieldPaths(into: &paths)
            for candidate in candidates {
                candidate.collectFieldPaths(into: &paths)
            }
        case .wildcards(let subject, _), .regexes(let subject, _):
            subject.collectFieldPaths(into: &paths)
        case .condition(let condition):
            for path in condition.fieldPaths where !paths.contains(path) {
                paths.append(path)
            }
        }
    }
}
