/// A unit of work queued for the writer thread, run inside the batch's transaction.
protocol WriteJob: AnyObject, Sendable {
    /// Runs the job's statements and returns the error it threw, if any.
    func perform(on connection: Connection) -> StorageError?

    /// Resumes the caller: with the job's own result when `batchFailure` is nil, otherwise with
    /// `batchFailure`, because then nothing the job wrote was committed.
    func complete(batchFailure: StorageError?)
}

/// A write job whose caller waits for a value of type `Value`.
///
/// `@unchecked Sendable`: `result` is set in `perform` and read in `complete`, both on the writer thread.
final class PendingWrite<Value: Sendable>: WriteJob, @unchecked Sendable {
    private let body: @Sendable (Connection) throws(StorageError) -> Value
    private let continuation: CheckedContinuation<Result<Value, StorageError>, Never>
    private var result: Result<Value, StorageError>?

    init(
        body: @escaping @Sendable (Connection) throws(StorageError) -> Value,
        continuation: CheckedContinuation<Result<Value, StorageError>, Never>
    ) {
        self.body = body
        self.continuation = continuation
    }

    func perform(on connection: Connection) -> StorageError? {
        do {
            result = .success(try body(connection))
            return nil
        } catch {
            result = .failure(error)
            return error
        }
    }

    func complete(batchFailure: StorageError?) {
        if let batchFailure {
            continuation.resume(returning: .failure(batchFailure))
        } else if let result {
            continuation.resume(returning: result)
        } else {
            preconditionFailure("a write job completed without running in a committed batch")
        }
    }
}
