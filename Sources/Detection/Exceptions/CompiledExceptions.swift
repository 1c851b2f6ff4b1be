import Foundation

/// A set of exception items compiled for evaluation: field paths resolved, values converted
/// to bytes and wildcard patterns, expiry times parsed. Immutable, so one snapshot can serve
/// many evaluations at once while a new one is built.
public struct CompiledExceptions: Sendable {
    public static let empty = CompiledExceptions([])

    private let items: [CompiledExceptionItem]

    /// Compiles the items in order. An item that fails `validate()` is left out, because it
    /// cannot be evaluated the way its author meant; callers validate items before storing them.
    public init(_ items: [(id: String, item: ExceptionItem)]) {
        self.items = items.compactMap { id, item in
            do {
                try item.validate()
            } catch {
                return nil
            }
            return CompiledExceptionItem(id: id, item: item)
        }
    }

    /// The number of items that were compiled.
    public var count: Int { items.count }

    /// The number of compiled items that have not expired at `now`.
    public func activeCount(at now: Date) -> Int {
        items.count { item in
            item.expiry.map { $0 > now } ?? true
        }
    }

    /// Finds the first item that suppresses `event` at time `now` and returns its id. An item
    /// suppresses an event when it has not expired, the event's `host.os.type` is one of the
    /// item's `os_types` (if it lists any) and every entry holds.
    public func firstMatch(_ event: some EventFields, now: Date) -> String? {
        for item in items where item.suppresses(event, now: now) {
            return item.id
        }
        return nil
    }
}

struct CompiledExceptionItem: Sendable {
    static let osTypeField = FieldPath("host.os.type")

    let id: String
    let expiry: Date?
    let osTypes: [EQLConstant]
    let entries: [CompiledExceptionEntry]

    init(id: String, item: ExceptionItem) {
        self.id = id
        self.expiry = item.expireTime.flatMap(ExceptionDate.parse)
        self.osTypes = item.osTypes.map { EQLConstant(.string($0)) }
        self.entries = item.entries.map(CompiledExceptionEntry.init)
    }

    func suppresses(_ event: some EventFields, now: Date) -> Bool {
        if let expiry, expiry <= now {
            return false
        }
        if !osTypes.isEmpty {
            var onListedSystem = false
            event.forEachValue(of: Self.osTypeField) { value in
                onListedSystem = osTypes.contains { $0.equals(value, caseInsensitive: true) }
                return !onListedSystem
            }
            guard onListedSystem else {
                return false
            }
        }
        for entry in entries where !entry.holds(in: event) {
            return false
        }
        return true
    }
}

/// One entry, reduced to a test of a single field value. An `included` entry holds when any
/// value of the field passes, and an `excluded` entry when none does, so a missing field
/// satisfies it.
struct CompiledExceptionEntry: Sendable {
    enum Test: Sendable {
        case exists
        /// `match` and `match_any`: byte equality with any of the values.
        case equals([[UInt8]])
        /// `match` and `match_any` with `case_insensitive`, and `wildcard`.
        case patterns([WildcardPattern])
    }

    let path: FieldPath
    let test: Test
    let excluded: Bool

    init(_ entry: ExceptionEntry) {
        path = FieldPath(entry.field)
        excluded = entry.operator == .excluded
        let caseInsensitive = entry.caseInsensitive ?? false

        var values: [String] = []
        switch entry.value {
        case .string(let text): values = [text]
        case .list(let list): values = list
        case nil: values = []
        }

        switch entry.type {
        case .exists:
            test = .exists
        case .wildcard:
            test = .patterns(values.map { WildcardPattern(elasticsearchWildcard: $0, caseInsensitive: caseInsensitive) })
        default:
            if caseInsensitive {
                test = .patterns(values.map { WildcardPattern(literal: $0, caseInsensitive: true) })
            } else {
                test = .equals(values.map { Array($0.utf8) })
            }
        }
    }

    func holds(in event: some EventFields) -> Bool {
        var anyPassed = false
        event.forEachValue(of: path) { value in
            anyPassed = passes(value)
            return !anyPassed
        }
        return excluded ? !anyPassed : anyPassed
    }

    /// Tests one value; numbers and Booleans are compared by their text form, as Kibana's
    /// string values are.
    private func passes(_ value: FieldValue) -> Bool {
        switch test {
        case .exists:
            return true
        case .equals(let candidates):
            return value.withStringForm { bytes in
                candidates.contains { EQLConstant.bytesEqual(bytes, $0) }
            }
        case .patterns(let patterns):
            return value.withStringForm { bytes in
                patterns.contains { $0.matches(bytes) }
            }
        }
    }
}
