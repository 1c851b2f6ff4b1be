/// One row of the `exceptions` table: a Kibana exception item kept as JSON text.
public struct ExceptionRecord: Sendable, Equatable {
    public var id: String
    /// Kibana's human-chosen `item_id`, unique across exception items.
    public var itemID: String
    /// The exception item as JSON.
    public var document: String
    /// Milliseconds since 1970-01-01 UTC.
    public var createdAtMilliseconds: Int64
    /// Milliseconds since 1970-01-01 UTC.
    public var updatedAtMilliseconds: Int64

    public init(id: String, itemID: String, document: String, createdAtMilliseconds: Int64, updatedAtMilliseconds: Int64) {
        self.id = id
        self.itemID = itemID
        self.document = document
        self.createdAtMilliseconds = createdAtMilliseconds
        self.updatedAtMilliseconds = updatedAtMilliseconds
    }
}
