/// The evaluated items of one request body, in body order.
///
/// Most events match nothing, and a full `EvaluatedItem` for each would cost more to build and
/// to free than evaluating the event. So each item takes a small trivial entry, and only items
/// with more to tell than a plain `.noMatch` (an alert, a reason, an explanation) are stored in
/// full beside the entries. Reading an item builds it from its entry.
public struct EvaluatedItems: RandomAccessCollection, Sendable {
    private struct Entry {
        let position: EventPosition
        /// The index of the full item in `details`, or -1 for a plain `.noMatch`.
        let detail: Int32
    }

    private var entries: [Entry] = []
    private var details: [EvaluatedItem] = []

    init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    public subscript(index: Int) -> EvaluatedItem {
        let entry = entries[index]
        guard entry.detail >= 0 else {
            return EvaluatedItem(position: entry.position, outcome: .noMatch, missingTimestamp: false)
        }
        return details[Int(entry.detail)]
    }

    /// The items whose outcome is anything but a plain `.noMatch`, in body order. Reading these
    /// instead of every item skips the events that matched nothing.
    public var itemsExceptNoMatch: [EvaluatedItem] { details }

    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }

    mutating func append(_ item: EvaluatedItem) {
        if case .noMatch = item.outcome, !item.hasExplanation {
            appendNoMatch(at: item.position)
            return
        }
        entries.append(Entry(position: item.position, detail: Int32(details.count)))
        details.append(item)
    }

    mutating func appendNoMatch(at position: EventPosition) {
        entries.append(Entry(position: position, detail: -1))
    }
}
