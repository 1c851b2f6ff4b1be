/// The position after the last item of an exception list page: its creation time and id.
///
/// The opaque form is base64url without padding (RFC 4648 section 5) of
/// `exception:<created_at_ms>:<id>`. Keyset paging on (created_at_ms, id) never repeats an
/// item and never skips one that exists for the whole walk, and replacing an item keeps its
/// creation time, so it keeps its place. An item created during the walk appears on a later
/// page unless it sorts before the cursor: same millisecond and a smaller id, or a clock that
/// went back.
struct ExceptionCursor: Equatable {
    static let prefix = "exception"

    let createdAtMilliseconds: Int64
    let id: String

    init(createdAtMilliseconds: Int64, id: String) {
        self.createdAtMilliseconds = createdAtMilliseconds
        self.id = id
    }

    /// Decodes a cursor issued by `encoded`.
    init(decoding cursor: String) throws(StorageError) {
        guard !cursor.isEmpty else {
            throw .invalidCursor(cursor: cursor, reason: "the cursor is empty")
        }
        guard let text = Base64URL.decode(cursor) else {
            throw .invalidCursor(cursor: cursor, reason: "the cursor does not decode as base64url to text")
        }

        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.prefix else {
            throw .invalidCursor(cursor: cursor, reason: "it is not a cursor of the exception list")
        }
        guard let createdAt = Int64(parts[1]) else {
            throw .invalidCursor(cursor: cursor, reason: "the creation time is not an integer")
        }
        guard !parts[2].isEmpty else {
            throw .invalidCursor(cursor: cursor, reason: "the exception item id is missing")
        }
        self.init(createdAtMilliseconds: createdAt, id: String(parts[2]))
    }

    var encoded: String {
        Base64URL.encode("\(Self.prefix):\(createdAtMilliseconds):\(id)")
    }
}
