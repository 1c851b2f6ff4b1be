/// The event fields that building an alert reads, collected from a matched event in one walk
/// instead of one walk per field.
///
/// Not `Sendable`: it reads a `CollectedFields` buffer, which belongs to one detector.
struct AlertEventFields {
    static let timestampField = FieldPath("@timestamp")
    static let ingestedField = FieldPath("event.ingested")
    static let eventIDField = FieldPath("event.id")
    static let categoryField = FieldPath("event.category")
    static let registryPathField = FieldPath("registry.path")
    static let registryDataField = FieldPath("registry.data.strings")
    static let registryValueField = FieldPath("registry.value")
    static let executableField = FieldPath("process.executable")
    static let processNameField = FieldPath("process.name")
    static let userNameField = FieldPath("user.name")
    static let hostNameField = FieldPath("host.name")

    /// The summary fields first, so that slot `i` is `AlertField.summaryPaths[i]`, then the
    /// fields that only the alert's time, identity and reason read.
    static let table = FieldTable(
        AlertField.summaryPaths + [timestampField, ingestedField, eventIDField, categoryField, executableField, processNameField])

    static let timestampSlot = slot(timestampField)
    static let ingestedSlot = slot(ingestedField)
    static let eventIDSlot = slot(eventIDField)
    static let categorySlot = slot(categoryField)
    static let registryPathSlot = slot(registryPathField)
    static let registryDataSlot = slot(registryDataField)
    static let registryValueSlot = slot(registryValueField)
    static let executableSlot = slot(executableField)
    static let processNameSlot = slot(processNameField)
    static let userNameSlot = slot(userNameField)
    static let hostNameSlot = slot(hostNameField)

    let collected: CollectedFields
    /// The first value of `@timestamp` that is a valid date. Parsed once, because the alert's
    /// time and the timestamp note both read it.
    let eventTimestamp: ECSTimestamp?
    /// The first value of `event.ingested` that is a valid date.
    let ingestedTimestamp: ECSTimestamp?

    /// Collects the fields of `table` from `event` into `collected`, replacing what it held.
    init(_ event: Event, into collected: CollectedFields) {
        Self.table.collect(from: event.source, into: collected)
        self.collected = collected
        self.eventTimestamp = Self.firstTimestamp(inSlot: Self.timestampSlot, of: collected)
        self.ingestedTimestamp = Self.firstTimestamp(inSlot: Self.ingestedSlot, of: collected)
    }

    /// The slot of `path`, which must be in `table`.
    static func slot(_ path: FieldPath) -> Int {
        guard let slot = table.slot(of: path) else {
            preconditionFailure("field \(path) is not in the alert field table")
        }
        return slot
    }

    /// Calls `body` with each value of `path`, in document order, until it returns `false`.
    /// A path outside `table` is looked up in `event` by name.
    func forEachValue(of path: FieldPath, in event: Event, _ body: (FieldValue) -> Bool) {
        if let slot = Self.table.slot(of: path) {
            collected.forEachValue(inSlot: slot, body)
        } else {
            event.forEachValue(of: path, body)
        }
    }

    /// Returns the first string value of the field in `slot`, copied out of the parser's memory.
    func firstString(inSlot slot: Int) -> String? {
        var result: String?
        collected.forEachValue(inSlot: slot) { value in
            if case .string(let bytes) = value {
                result = String(decoding: bytes, as: UTF8.self)
                return false
            }
            return true
        }
        return result
    }

    /// Copies every value of the summary field in `slot`. Returns nil when the event has none.
    func summaryField(inSlot slot: Int) -> AlertField? {
        var first: AlertFieldValue?
        var others: [AlertFieldValue] = []
        collected.forEachValue(inSlot: slot) { value in
            if first == nil {
                first = AlertFieldValue(value)
            } else {
                others.append(AlertFieldValue(value))
            }
            return true
        }
        guard let first else {
            return nil
        }
        return AlertField(summaryIndex: slot, firstValue: first, otherValues: others)
    }

    /// Returns the first value of `path` that parses as a date.
    func timestamp(_ path: FieldPath, in event: Event) -> ECSTimestamp? {
        switch path.name {
        case Self.ingestedField.name:
            return ingestedTimestamp
        case Self.timestampField.name:
            return eventTimestamp
        default:
            var found: ECSTimestamp?
            forEachValue(of: path, in: event) { value in
                found = ECSTimestamp(value)
                return found == nil
            }
            return found
        }
    }

    /// Returns the first value of the field in `slot` of `collected` that parses as a date.
    private static func firstTimestamp(inSlot slot: Int, of collected: CollectedFields) -> ECSTimestamp? {
        var found: ECSTimestamp?
        collected.forEachValue(inSlot: slot) { value in
            found = ECSTimestamp(value)
            return found == nil
        }
        return found
    }

    /// Returns a note on the event's time fields when both are missing or one is not a valid date.
    /// The note names the invalid values and, for an alert, the time the alert uses instead.
    /// Returns nil when every time field present is a valid date. `alertTimeSource` is nil for a
    /// suppressed event, which has no alert.
    func timestampNote(in event: Event, alertTimeSource: Alert.TimestampSource?) -> String? {
        if lacksTimestamp {
            return "the event has neither event.ingested nor @timestamp; the receive time was used"
        }
        let ingestedUnreadable = ingestedTimestamp == nil && collected.hasValue(inSlot: Self.ingestedSlot)
        let timestampUnreadable = eventTimestamp == nil && collected.hasValue(inSlot: Self.timestampSlot)
        guard ingestedUnreadable || timestampUnreadable else {
            return nil
        }
        var unreadable: [String] = []
        for (slot, field, isUnreadable) in [
            (Self.ingestedSlot, Self.ingestedField, ingestedUnreadable), (Self.timestampSlot, Self.timestampField, timestampUnreadable),
        ] where isUnreadable {
            let text = firstString(inSlot: slot).map { "'\($0.prefix(64))'" } ?? "a value that is not a string"
            unreadable.append("\(field.name) \(text)")
        }
        let sentence = unreadable.joined(separator: " and ") + (unreadable.count == 1 ? " is not a valid date" : " are not valid dates")
        guard let alertTimeSource else {
            return sentence
        }
        let used = alertTimeSource == .receivedAt ? "the receive time" : alertTimeSource.description
        return sentence + "; the alert time is \(used)"
    }

    /// Whether the event has neither `event.ingested` nor `@timestamp`.
    var lacksTimestamp: Bool {
        !collected.hasValue(inSlot: Self.ingestedSlot) && !collected.hasValue(inSlot: Self.timestampSlot)
    }

    /// Whether some value of `event.category` is the string `registry`.
    var isRegistryEvent: Bool {
        var found = false
        collected.forEachValue(inSlot: Self.categorySlot) { value in
            if case .string(let bytes) = value, bytes.elementsEqual("registry".utf8) {
                found = true
            }
            return !found
        }
        return found
    }
}
