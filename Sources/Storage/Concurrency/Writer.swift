import Dispatch
import Foundation
import Logging
import Synchronization

/// The single thread that owns the read-write connection.
///
/// Callers queue jobs. Each time the thread wakes, it takes every queued job and runs them all in
/// one IMMEDIATE transaction (group commit), so concurrent requests share one commit and its fsync.
/// Each job runs in its own savepoint, so a job that throws (a constraint violation, say) is
/// rolled back alone and the others still commit. Callers resume only after COMMIT has returned.
final class Writer: Sendable {
    private struct Queue {
        var pending: [any WriteJob] = []
        var isStopping = false
    }

    let path: String
    private let logger: Logger
    private let queue = Mutex(Queue())
    private let counters = Mutex(WriteStatistics())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(connection: Connection, logger: Logger) {
        self.path = connection.path
        self.logger = logger
        let thread = Thread { [self] in
            run(connection)
        }
        thread.name = "sqlite-writer"
        thread.start()
    }

    var statistics: WriteStatistics {
        counters.withLock { $0 }
    }

    /// Queues `body` and waits until the transaction that ran it has committed.
    func write<Value: Sendable>(
        _ body: @escaping @Sendable (Connection) throws(StorageError) -> Value
    ) async throws(StorageError) -> Value {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, StorageError>, Never>) in
            let job = PendingWrite(body: body, continuation: continuation)
            let accepted = queue.withLock { queue in
                guard !queue.isStopping else {
                    return false
                }
                queue.pending.append(job)
                return true
            }
            if accepted {
                wakeUp.signal()
            } else {
                continuation.resume(returning: .failure(.closed(path: path)))
            }
        }
        return try result.get()
    }

    /// Rejects new jobs, commits the queued ones, checkpoints and closes the connection, then returns.
    func stop() {
        let isFirstCall = queue.withLock { queue in
            defer { queue.isStopping = true }
            return !queue.isStopping
        }
        if isFirstCall {
            wakeUp.signal()
        }
        finished.wait()
        // Let any other caller of stop() through as well.
        finished.signal()
    }

    private func run(_ connection: Connection) {
        while true {
            wakeUp.wait()
            let (batch, isStopping) = queue.withLock { queue in
                defer { queue.pending.removeAll() }
                return (queue.pending, queue.isStopping)
            }
            if !batch.isEmpty {
                commit(batch, on: connection)
            }
            // No job is queued after isStopping is set, so this batch was the last one.
            if isStopping {
                break
            }
        }

        do {
            try connection.checkpointTruncate()
        } catch {
            logger.error("checkpoint on close failed", ["path": path, "error": error.description])
        }
        connection.close()
        finished.signal()
    }

    private func commit(_ batch: [any WriteJob], on connection: Connection) {
        var batchFailure = runInTransaction(batch, on: connection)
        if batchFailure == nil {
            do {
                try connection.run("COMMIT")
            } catch {
                batchFailure = error
            }
        }

        if let batchFailure {
            connection.rollbackIfOpen()
            counters.withLock { $0.failedTransactions += 1 }
            logger.error(
                "write transaction failed", ["path": path, "jobs": String(batch.count), "error": batchFailure.description])
        } else {
            counters.withLock { counters in
                counters.committedTransactions += 1
                counters.committedJobs += batch.count
            }
        }

        for job in batch {
            job.complete(batchFailure: batchFailure)
        }
    }

    /// Opens the batch transaction and runs each job in a savepoint. Returns the error that
    /// ended the whole transaction, or nil when it is ready to commit.
    private func runInTransaction(_ batch: [any WriteJob], on connection: Connection) -> StorageError? {
        do {
            try connection.run("BEGIN IMMEDIATE")
            for job in batch {
                try connection.run("SAVEPOINT write_job")
                if let jobFailure = job.perform(on: connection) {
                    // After errors such as SQLITE_FULL or SQLITE_IOERR, SQLite rolls the whole
                    // transaction back by itself, so the work of every earlier job is gone too.
                    if connection.isAutocommit {
                        return jobFailure
                    }
                    try connection.run("ROLLBACK TO write_job")
                }
                try connection.run("RELEASE write_job")
            }
            return nil
        } catch {
            return error
        }
    }
}
