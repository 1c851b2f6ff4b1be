import Dispatch
import Logging
import Synchronization

/// Read-only connections, each used on its own serial queue, handed out one call at a time.
///
/// In WAL mode readers see the last committed state and neither block the writer nor wait for it.
final class ReaderPool: Sendable {
    private struct Reader: Sendable {
        let connection: Connection
        let queue: DispatchQueue
    }

    private struct Availability {
        var idle: [Int]
        var waiters: [CheckedContinuation<Int?, Never>] = []
        var isClosed = false
    }

    let path: String
    private let readers: [Reader]
    private let availability: Mutex<Availability>

    init(path: String, count: Int, busyTimeoutMilliseconds: Int32, logger: Logger) throws(StorageError) {
        var readers: [Reader] = []
        for index in 0..<count {
            let connection = try Connection(path: path, access: .readOnly, logger: logger)
            try connection.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
            try connection.execute(script: "PRAGMA query_only = ON")
            readers.append(Reader(connection: connection, queue: DispatchQueue(label: "sqlite-reader-\(index)")))
        }
        self.path = path
        self.readers = readers
        self.availability = Mutex(Availability(idle: Array(readers.indices)))
    }

    /// Runs `body` on an idle reader's queue, waiting for one to become idle when all are busy.
    func read<Value: Sendable>(
        _ body: @escaping @Sendable (Connection) throws(StorageError) -> Value
    ) async throws(StorageError) -> Value {
        guard let index = await acquire() else {
            throw .closed(path: path)
        }
        let reader = readers[index]
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, StorageError>, Never>) in
            reader.queue.async {
                do throws(StorageError) {
                    continuation.resume(returning: .success(try body(reader.connection)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        release(index)
        return try result.get()
    }

    /// Rejects new reads, waits for running ones and closes every connection.
    func close() {
        let waiters = availability.withLock { availability in
            availability.isClosed = true
            defer { availability.waiters.removeAll() }
            return availability.waiters
        }
        for waiter in waiters {
            waiter.resume(returning: nil)
        }
        for reader in readers {
            reader.queue.sync {
                reader.connection.close()
            }
        }
    }

    private func acquire() async -> Int? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
            let granted: Int?? = availability.withLock { availability in
                if availability.isClosed {
                    return .some(nil)
                }
                if let index = availability.idle.popLast() {
                    return .some(index)
                }
                availability.waiters.append(continuation)
                return .none
            }
            if case .some(let index) = granted {
                continuation.resume(returning: index)
            }
        }
    }

    private func release(_ index: Int) {
        let waiter = availability.withLock { availability -> CheckedContinuation<Int?, Never>? in
            guard !availability.waiters.isEmpty else {
                availability.idle.append(index)
                return nil
            }
            return availability.waiters.removeFirst()
        }
        waiter?.resume(returning: index)
    }
}
