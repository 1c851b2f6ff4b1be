extension Database {
    /// Returns one page of the audit log, newest first. Throws `.invalidCursor` and
    /// `.invalidLimit` for input that the caller should reject with 400.
    public func auditEntries(_ query: AuditQuery) async throws(StorageError) -> AuditPage {
        try await readers.read { connection throws(StorageError) in
            try AuditRepository(connection: connection).page(query)
        }
    }
}
