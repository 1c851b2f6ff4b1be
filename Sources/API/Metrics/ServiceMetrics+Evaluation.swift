extension ServiceMetrics {
    /// Adds one `POST /evaluate` request's outcome counts.
    /// Counts a request's events. The alert counters count what was stored, so a dry run, which
    /// stores nothing, adds only to the event counters.
    func recordEvaluation(_ summary: EvaluationSummary, dryRun: Bool) {
        eventsEvaluated.increment(by: UInt64(summary.evaluated))
        eventsMatched.increment(by: UInt64(summary.matched))
        eventsOutOfScope.increment(by: UInt64(summary.outOfScope))
        eventsInvalid.increment(by: UInt64(summary.invalid))
        for (exceptionID, count) in summary.suppressedBy {
            eventsSuppressed.increment(by: UInt64(count), labels: [exceptionID])
        }
        guard !dryRun else {
            return
        }
        alertsCreated.increment(by: UInt64(summary.alertsCreated))
        alertDuplicates.increment(by: UInt64(summary.duplicates))
        alertsNotPersisted.increment(by: UInt64(summary.notPersisted))
        if summary.notPersisted > 0 {
            truncatedRequests.increment()
        }
    }

    /// Runs `commit` and records its duration in `detectd_alert_commit_duration_seconds`,
    /// also when it throws.
    func timeCommit<Result>(_ commit: () async throws -> Result) async rethrows -> Result {
        let start = ContinuousClock.now
        defer { recordCommit(duration: ContinuousClock.now - start) }
        return try await commit()
    }
}
