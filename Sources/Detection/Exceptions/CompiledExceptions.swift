import Foundation

/// A set of exception items compiled for evaluation: field paths resolved to the slots of one
/// `FieldTable`, values converted to bytes and wildcard patterns, expiry times parsed.
/// Immutable, so one snapshot can serve many evaluations at once while a new one is built.
public struct CompiledExceptions: Sendable {
    public static let empty = CompiledExceptions([])

    let items: [CompiledExceptionItem]
    /// Every field that an item reads, so that an event is walked once for all items.
    let fields: FieldTable

    /// Compiles the items in order. An item that fails `validate()` is left out, because it
    /// cannot be evaluated the way its author meant; callers validate items before storing them.
    public init(_ items: [(id: String, item: ExceptionItem)]) {
        let valid = items.filter { (try? $0.item.validate()) != nil }
        var paths = [CompiledExceptionItem.osTypeField]
        var presencePaths: [FieldPath] = []
        for (_, item) in valid {
            for entry in item.entries {
                if entry.type == .exists {
                    presencePaths.append(entry.readField.path)
                } else {
                    paths.append(entry.readField.path)
                }
            }
        }
        let fields = FieldTable(paths, presence: presencePaths)
        self.fields = fields
        self.items = valid.map { CompiledExceptionItem(id: $0.id, item: $0.item, fields: fields) }
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
    public func firstMatch(_ event: Event, now: Date) -> String? {
        firstMatch(event, now: now, collected: CollectedFields())
    }

    /// Like `firstMatch(_:now:)`, for a decoded event: collects the items' fields into
    /// `scratch` in one walk, replacing what it held.
    func firstMatch(_ event: Event, now: Date, collected scratch: CollectedFields) -> String? {
        guard !items.isEmpty else {
            return nil
        }
        fields.collect(from: event.source, into: scratch)
        return firstMatch(scratch, now: now)
    }

    /// Finds the first item that suppresses `event`, like `firstMatch(_:now:)`, and reports the
    /// result of each of its entries with the values they read.
    public func explainFirstMatch(_ event: Event, now: Date) -> ExceptionExplanation? {
        let slots = CollectedFields()
        fields.collect(from: event.source, into: slots)
        guard let item = items.first(where: { $0.suppresses(slots, now: now) }) else {
            return nil
        }
        let entries = item.entries.enumerated().map { index, entry in
            EntryExplanation(
                pointer: "/entries/\(index)", entry: entry.source, held: entry.holds(slots),
                values: FieldValues(entry.path, slot: entry.slot, in: slots))
        }
        var osTypes: OSTypesExplanation?
        if !item.osTypeNames.isEmpty {
            osTypes = OSTypesExplanation(
                listed: item.osTypeNames, held: item.appliesToOperatingSystem(slots),
                values: FieldValues(CompiledExceptionItem.osTypeField, slot: CompiledExceptionItem.osTypeSlot, in: slots))
        }
        return ExceptionExplanation(id: item.id, name: item.name, osTypes: osTypes, entries: entries)
    }

    private func firstMatch(_ slots: some FieldSlots, now: Date) -> String? {
        for item in items where item.suppresses(slots, now: now) {
            return item.id
        }
        return nil
    }
}

/// A class, so that evaluating items reads them in place: as structs, every item and entry was
/// copied, with a retain and a release of each reference, for every matched event.
final class CompiledExceptionItem: Sendable {
    static let osTypeField = FieldPath("host.os.type")
    /// The slot of `osTypeField`, which `CompiledExceptions` puts first in its table.
    static let osTypeSlot = 0

    let id: String
    let name: String
    let expiry: Date?
    /// The item's `os_types` as written, for explanations.
    let osTypeNames: [String]
    let osTypes: [EQLConstant]
    let entries: [CompiledExceptionEntry]

    init(id: String, item: ExceptionItem, fields: FieldTable) {
        self.id = id
        self.name = item.name
        self.expiry = item.expireTime.flatMap(ExceptionDate.parse)
        self.osTypeNames = item.osTypes
        self.osTypes = item.osTypes.map { EQLConstant(.string($0)) }
        self.entries = item.entries.map { CompiledExceptionEntry($0, fields: fields) }
    }

    func isExpired(at now: Date) -> Bool {
        if let expiry {
            return expiry <= now
        }
        return false
    }

    /// Whether `host.os.type` is one of `osTypes`; true when the item lists none.
    func appliesToOperatingSystem(_ slots: some FieldSlots) -> Bool {
        guard !osTypes.isEmpty else {
            return true
        }
        var onListedSystem = false
        slots.forEachValue(inSlot: Self.osTypeSlot) { value in
            onListedSystem = osTypes.contains { $0.equals(value, caseInsensitive: true) }
            return !onListedSystem
        }
        return onListedSystem
    }

    func suppresses(_ slots: some FieldSlots, now: Date) -> Bool {
        if isExpired(at: now) || !appliesToOperatingSystem(slots) {
            return false
        }
        for entry in entries where !entry.holds(slots) {
            return false
        }
        return true
    }
}

/// One entry, reduced to a test of a single field value. An `included` entry holds when any
/// value of the field passes, and an `excluded` entry when none does, so a missing field
/// satisfies it.
final class CompiledExceptionEntry: Sendable {
    enum Test: Sendable {
        case exists
        /// `match` and `match_any`: byte equality with any of the values.
        case equals([[UInt8]])
        /// `match` and `match_any` with `case_insensitive`, and `wildcard`.
        case patterns([WildcardPattern])
    }

    /// The entry as written, for explanations.
    let source: ExceptionEntry
    let path: FieldPath
    let slot: Int
    let test: Test
    let excluded: Bool

    init(_ entry: ExceptionEntry, fields: FieldTable) {
        source = entry
        let readField = entry.readField
        path = readField.path
        // `exists` reads a presence slot, so that it also holds for an object field with a
        // value below it, as Elasticsearch's exists query does.
        let slot = entry.type == .exists ? fields.presenceSlot(of: path) : fields.slot(of: path)
        self.slot = slot ?? 0
        excluded = entry.operator == .excluded

        var values: [String] = []
        switch entry.value {
        case .string(let text): values = [text]
        case .list(let list): values = list
        case nil: values = []
        }

        // Elasticsearch's `case_insensitive` folds ASCII letters only, so "JOSÉ" and "josé"
        // stay different, unlike with EQL's `:`. A `.caseless` field is lowercased on both
        // sides, which already makes ASCII folding on top of it change nothing.
        let caseMatching: CaseMatching =
            readField.lowercased ? .lowercase : (entry.caseInsensitive ?? false) ? .asciiLetters : .sensitive
        switch entry.type {
        case .exists:
            test = .exists
        case .wildcard:
            test = .patterns(values.map { WildcardPattern(elasticsearchWildcard: $0, caseMatching: caseMatching) })
        default:
            if caseMatching == .sensitive {
                test = .equals(values.map { Array($0.utf8) })
            } else {
                test = .patterns(values.map { WildcardPattern(literal: $0, caseMatching: caseMatching) })
            }
        }
    }

    func holds(_ slots: some FieldSlots) -> Bool {
        var anyPassed = false
        slots.forEachValue(inSlot: slot) { value in
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
