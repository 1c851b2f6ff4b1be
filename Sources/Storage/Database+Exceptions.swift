extension Database {
    /// Returns every exception item, oldest first.
    public func exceptions() async throws(StorageError) -> [ExceptionRecord] {
        try await readers.read { connection throws(StorageError) in
            try ExceptionRepository(connection: connection).all()
        }
    }

    /// Returns one page of exception items, oldest first, and the number of items on all pages,
    /// both read in one snapshot. Throws `.invalidCursor` and `.invalidLimit` for input that the
    /// caller should reject with 400.
    public func exceptionPage(_ query: ExceptionQuery) async throws(StorageError) -> ExceptionPage {
        try await readers.read { connection throws(StorageError) in
            try connection.transaction(.deferred) { () throws(StorageError) -> ExceptionPage in
                try ExceptionRepository(connection: connection).page(query)
            }
        }
    }

    public func exception(id: String) async throws(StorageError) -> ExceptionRecord? {
        try await readers.read { connection throws(StorageError) in
            try ExceptionRepository(connection: connection).exception(id: id)
        }
    }

    /// Returns the item whose `id` is `key`, else the item whose `item_id` is `key`.
    public func exception(idOrItemID key: String) async throws(StorageError) -> ExceptionRecord? {
        try await readers.read { connection throws(StorageError) in
            try ExceptionRepository(connection: connection).exception(idOrItemID: key)
        }
    }

    /// Stores a new item and its audit entry and, when `closing` is given, closes the alerts it
    /// matches, all in one transaction. Returns the number of alerts closed.
    /// Throws `.duplicateExceptionID` or `.duplicateExceptionItemID` when either key is taken.
    @discardableResult
    public func insertException(
        _ record: ExceptionRecord, context: AuditContext, closing: AlertClosing? = nil
    ) async throws(StorageError) -> Int {
        try await writer.write { connection throws(StorageError) in
            try ExceptionRepository(connection: connection).insert(record)
            try AuditRepository(connection: connection).append(
                .create, objectType: ExceptionRecord.auditObjectType, objectID: record.id,
                before: nil, after: record.document, context: context)
            guard let closing else {
                return 0
            }
            return try AlertStatusRepository(connection: connection).close(closing, context: context)
        }
    }

    /// Replaces the item with `record.id`, keeping its stored creation time, and records the
    /// change. Returns false when no item has that id; throws `.duplicateExceptionItemID` when
    /// another item has `record.itemID`.
    public func replaceException(_ record: ExceptionRecord, context: AuditContext) async throws(StorageError) -> Bool {
        try await replaceException(record, context: context, unlessEquivalent: { _ in false }) == .replaced
    }

    /// Replaces the item with `record.id` as `replaceException(_:context:)` does, unless
    /// `isEquivalent` returns true for the stored item. In that case nothing is written or audited.
    /// The stored item is read in the write transaction, so `isEquivalent` gets the item as of
    /// the last commit, not an older copy.
    public func replaceException(
        _ record: ExceptionRecord, context: AuditContext,
        unlessEquivalent isEquivalent: @escaping @Sendable (_ stored: ExceptionRecord) -> Bool
    ) async throws(StorageError) -> ExceptionReplacement {
        try await writer.write { connection throws(StorageError) in
            let repository = ExceptionRepository(connection: connection)
            guard let before = try repository.exception(id: record.id) else {
                return .notFound
            }
            if isEquivalent(before) {
                return .unchanged
            }
            guard try repository.replace(record) else {
                return .notFound
            }
            try AuditRepository(connection: connection).append(
                .replace, objectType: ExceptionRecord.auditObjectType, objectID: record.id,
                before: before.document, after: record.document, context: context)
            return .replaced
        }
    }

    /// Deletes the item and records the change. Returns the item as it was, or nil when no
    /// item has this id.
    public func deleteException(id: String, context: AuditContext) async throws(StorageError) -> ExceptionRecord? {
        try await writer.write { connection throws(StorageError) in
            let repository = ExceptionRepository(connection: connection)
            guard let before = try repository.exception(id: id), try repository.delete(id: id) else {
                return nil
            }
            try AuditRepository(connection: connection).append(
                .delete, objectType: ExceptionRecord.auditObjectType, objectID: id,
                before: before.document, after: nil, context: context)
            return before
        }
    }
}

/// The outcome of `Database.replaceException(_:context:unlessEquivalent:)`.
public enum ExceptionReplacement: Sendable, Equatable {
    case replaced
    /// The stored item was equivalent to the new one, so it was neither written nor audited.
    case unchanged
    /// No item has the record's id.
    case notFound
}

extension ExceptionRecord {
    /// `object_type` of the audit entries about exception items.
    public static let auditObjectType = "exception"
}
