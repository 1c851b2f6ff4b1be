extension Database {
    /// Returns every exception item, oldest first.
    public func exceptions() async throws(StorageError) -> [ExceptionRecord] {
        try await readers.read { connection throws(StorageError) in
            try ExceptionRepository(connection: connection).all()
        }
    }

    public func exception(id: String) async throws(StorageError) -> ExceptionRecord? {
        try await readers.read { connection throws(StorageError) in
            try ExceptionRepository(connection: connection).exception(id: id)
        }
    }

    /// Throws `.duplicateExceptionID` or `.duplicateExceptionItemID` when either key is taken.
    public func insertException(_ record: ExceptionRecord) async throws(StorageError) {
        try await writer.write { connection throws(StorageError) in
            try ExceptionRepository(connection: connection).insert(record)
        }
    }

    /// Replaces the item with `record.id`, keeping its stored creation time. Returns false when
    /// no item has that id; throws `.duplicateExceptionItemID` when another item has `record.itemID`.
    public func replaceException(_ record: ExceptionRecord) async throws(StorageError) -> Bool {
        try await writer.write { connection throws(StorageError) in
            try ExceptionRepository(connection: connection).replace(record)
        }
    }

    /// Returns false when no item has this id.
    public func deleteException(id: String) async throws(StorageError) -> Bool {
        try await writer.write { connection throws(StorageError) in
            try ExceptionRepository(connection: connection).delete(id: id)
        }
    }
}
