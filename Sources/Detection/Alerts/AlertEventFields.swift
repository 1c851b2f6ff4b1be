/// The event fields that building an alert reads, collected from a matched event in one walk
/// instead of one walk per field.
///
/// Not `Sendable`: it reads a `CollectedFields` buffer, which belongs to one detector.
struct AlertEventFields {
    static let timestampPath = FieldPath("@timestamp")
    static let ingestedPath = FieldPath("event.ingested")
    static let eventIDPath = FieldPath("event.id")
    static let categoryPath = FieldPath("event.category")
    static let registryPathPath = FieldPath("registry.path")
    static let registryDataPath = FieldPath("registry.data.strings")
    static let executablePath = FieldPath("process.executable")
    static let processNamePath = FieldPath("process.name")
    static let userNamePath = FieldPath("user.name")
    static let hostNamePath = FieldPath("host.name")

    /// The summary fields first, so that slot `i` is `AlertField.summaryPaths[i]`, then the
    /// fields that only the alert's time, identity and reason read.
    static let table = FieldTable(
        AlertField.summaryPaths + [timestampPath, ingestedPath, eventIDPath, categoryPath, executablePath, processNamePath])

    static let timestampSlot = slot(timestampPath)
    static let ingestedSlot = slot(ingestedPath)
    static let eventIDSlot = slot(eventIDPath)
    static let categorySlot = slot(categoryPath)
    static let registryPathSlot = slot(registryPathPath)
    static let registryDataSlot = slot(registryDataPath)
    static let executableSlot = slot(executablePath)
    static let processNameSlot = slot(processNamePath)
    static let userNameSlot = slot(userNamePath)
    static let hostNameSlot = slot(hostNamePath)

    let collected: CollectedFields

    /// Collects the fields of `table` from `event` into `collected`, replacing what it held.
    init(_ event: Event, into collected: CollectedFields) {
        Self.table.collect(from: event.source, into: collected)
        self.collected = collected
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

    /// The first string value of the field in `slot`, copied out of the parser's memory.
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

    /// Copies every value of the summary field in `slot`; nil when the event has none.
    func summaryField(inSlot slot: Int) -> AlertField? {
        var values: [AlertFieldValue] = []
        collected.forEachValue(inSlot: slot) { value in
            values.append(AlertFieldValue(value))
            return true
        }
        guard !values.isEmpty else {
            return nil
        }
        return AlertField(path: AlertField.summaryPaths[slot], values: values)
    }

    /// The first value of `path` that parses as a date.
    func timestamp(_ path: FieldPath, in event: Event) -> ECSTimestamp? {
        var found: ECSTimestamp?
        forEachValue(of: path, in: event) { value in
            found = ECSTimestamp(value)
            return found == nil
        }
        return found
    }

    /// The first value of the field in `slot` that parses as a date.
    func timestamp(inSlot slot: Int) -> ECSTimestamp? {
        var found: ECSTimestamp?
        collected.forEachValue(inSlot: slot) { value in
            found = ECSTimestamp(value)
            return found == nil
        }
        return found
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
