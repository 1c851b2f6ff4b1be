/// Read access to an event's values by the slot numbers of a `FieldTable`, so that compiled
/// conditions never look fields up by name.
protocol FieldSlots {
    /// Calls `body` with each value of `slot`, in document order, until it returns `false`.
    func forEachValue(inSlot slot: Int, _ body: (FieldValue) -> Bool)
    /// Whether `slot` has at least one value.
    func hasValue(inSlot slot: Int) -> Bool
}

/// Slots answered by looking each field up by name in an `EventFields` value: the path for
/// events that were not collected by the C walker, such as the JSON events of unit tests.
/// It serves value slots only; a presence slot number is out of range for `table.paths`.
struct EventFieldSlots<Fields: EventFields>: FieldSlots {
    let event: Fields
    let table: FieldTable

    func forEachValue(inSlot slot: Int, _ body: (FieldValue) -> Bool) {
        event.forEachValue(of: table.paths[slot], body)
    }

    func hasValue(inSlot slot: Int) -> Bool {
        event.hasValue(table.paths[slot])
    }
}
