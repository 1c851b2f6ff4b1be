/// The position after the last alert of a page: its time and id, plus the sort order it was
/// issued for.
///
/// The opaque form is base64url without padding (RFC 4648 section 5) of `d:<timestamp_ms>:<id>`,
/// with `a` in place of `d` for oldest-first lists. Keyset paging on (timestamp_ms, id) stays
/// correct while alerts are added. A new alert sorts either before the cursor, where the caller
/// has already read, or after it, where a later page returns it. So no row is skipped or repeated.
struct AlertCursor: Equatable {
    let timestampMilliseconds: Int64
    let id: String
    let ascending: Bool

    init(timestampMilliseconds: Int64, id: String, ascending: Bool) {
        self.timestampMilliseconds = timestampMilliseconds
        self.id = id
        self.ascending = ascending
    }

    /// Decodes a cursor issued by `encoded` and checks that it belongs to a list in the same order.
    init(decoding cursor: String, ascending expectedAscending: Bool) throws(StorageError) {
        guard !cursor.isEmpty else {
            throw .invalidCursor(cursor: cursor, reason: "the cursor is empty")
        }
        guard let text = Base64URL.decode(cursor) else {
            throw .invalidCursor(cursor: cursor, reason: "the cursor does not decode as base64url to text")
        }

        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw .invalidCursor(cursor: cursor, reason: "expected order, timestamp and id separated by colons")
        }
        let ascending: Bool
        switch parts[0] {
        case "a": ascending = true
        case "d": ascending = false
        default: throw .invalidCursor(cursor: cursor, reason: "unknown sort order \"\(StorageError.prefix(of: String(parts[0])))\"")
        }
        guard let timestamp = Int64(parts[1]) else {
            throw .invalidCursor(cursor: cursor, reason: "the timestamp is not an integer")
        }
        guard !parts[2].isEmpty else {
            throw .invalidCursor(cursor: cursor, reason: "the alert id is missing")
        }
        guard ascending == expectedAscending else {
            let issued = ascending ? "oldest-first" : "newest-first"
            let requested = expectedAscending ? "oldest-first" : "newest-first"
            throw .invalidCursor(cursor: cursor, reason: "the cursor was issued for \(issued) order, not \(requested)")
        }

        self.init(timestampMilliseconds: timestamp, id: String(parts[2]), ascending: ascending)
    }

    var encoded: String {
        Base64URL.encode("\(ascending ? "a" : "d"):\(timestampMilliseconds):\(id)")
    }
}
