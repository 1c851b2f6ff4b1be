/// Writer counters since the database was opened. More jobs than transactions means concurrent
/// writes were committed together.
public struct WriteStatistics: Sendable, Equatable {
    public internal(set) var committedTransactions = 0
    /// Write calls whose transaction committed, including calls that failed alone inside it
    /// (a duplicate `item_id`, for example).
    public internal(set) var committedJobs = 0
    /// Transactions that failed to begin or commit; every job in them got the error.
    public internal(set) var failedTransactions = 0
    /// `insertAlerts` calls that stopped at `maxNew` and left alerts untried: rule executions
    /// that reached `max_signals`.
    public internal(set) var truncatedAlertInserts = 0
}
