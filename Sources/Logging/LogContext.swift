/// Metadata that every log line written from the current task carries, such as the id of the
/// request the task serves.
///
/// A task-local value reaches every logger call in the task and its child tasks without passing
/// a logger copy through each function. Work handed to another thread (the database writer, for
/// example) does not inherit it.
public enum LogContext {
    @TaskLocal public static var metadata: [String: String] = [:]
    /// The id of the request the task serves, written as `request_id`. It is a field of its own
    /// because every request sets it, and a one-entry dictionary would cost an allocation each.
    @TaskLocal public static var requestID: String?
}
