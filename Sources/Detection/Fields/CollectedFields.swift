import CSimdJSON

/// The scalar values that one walk of an event found for the slots of a `FieldTable`.
///
/// Owns a reusable buffer, so collecting allocates only when an event has more values than any
/// event before it. String values point into the parser's document and are valid until it
/// parses again. Not `Sendable`: one per detector.
final class CollectedFields: FieldSlots {
    private var hits: UnsafeMutableBufferPointer<csj_field_hit>
    private(set) var count = 0

    init(capacity: Int = 64) {
        hits = .allocate(capacity: capacity)
    }

    deinit {
        hits.deallocate()
    }

    /// Runs `collect` with the buffer and grows the buffer and runs it again when it reports
    /// more hits than fit.
    func fill(_ collect: (UnsafeMutablePointer<csj_field_hit>, Int) -> Int) {
        var total = collect(hits.baseAddress!, hits.count)
        if total > hits.count {
            hits.deallocate()
            hits = .allocate(capacity: total * 2)
            total = collect(hits.baseAddress!, hits.count)
        }
        count = total
    }

    /// Calls `body` with each value of `slot`, in document order, until it returns `false`.
    @inline(__always)
    func forEachValue(inSlot slot: Int, _ body: (FieldValue) -> Bool) {
        let target = UInt32(truncatingIfNeeded: slot)
        for index in 0..<count where hits[index].slot == target {
            if !body(Self.value(of: hits[index])) {
                return
            }
        }
    }

    /// Whether `slot` has at least one value.
    func hasValue(inSlot slot: Int) -> Bool {
        let target = UInt32(truncatingIfNeeded: slot)
        for index in 0..<count where hits[index].slot == target {
            return true
        }
        return false
    }

    @inline(__always)
    private static func value(of hit: csj_field_hit) -> FieldValue {
        switch hit.type {
        case CSJ_STRING: .string(UnsafeRawBufferPointer(start: hit.string, count: hit.length))
        case CSJ_INT64: .integer(hit.integer)
        case CSJ_UINT64: .unsignedInteger(hit.unsigned_integer)
        case CSJ_DOUBLE: .double(hit.number)
        default: .bool(hit.boolean)
        }
    }
}
