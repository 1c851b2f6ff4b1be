/// The locking mode of `BEGIN`: https://sqlite.org/lang_transaction.html
enum TransactionKind: String {
    /// Takes the read lock at the first read and the write lock at the first write.
    case deferred = "DEFERRED"
    /// Takes the write lock at once, so a write transaction waits for the lock at BEGIN, where
    /// the busy timeout applies, instead of failing with SQLITE_BUSY halfway through.
    case immediate = "IMMEDIATE"
}

extension Connection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it or the commit throws.
    func transaction<T>(_ kind: TransactionKind, _ body: () throws(StorageError) -> T) throws(StorageError) -> T {
        try run("BEGIN \(kind.rawValue)")
        do {
            let value = try body()
            try run("COMMIT")
            return value
        } catch {
            rollbackIfOpen()
            throw error
        }
    }

    /// Rolls back the open transaction, if any. A failed ROLLBACK is logged and not thrown,
    /// because the caller is already handling the error that made it roll back.
    func rollbackIfOpen() {
        guard !isAutocommit else {
            return
        }
        do {
            try run("ROLLBACK")
        } catch {
            logger.error("rollback failed", ["path": path, "error": error.description])
        }
    }
}
