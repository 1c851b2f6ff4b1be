import Detection
import Foundation
import Logging
import Storage
import Synchronization

/// Applies `--retention-days`: deletes closed alerts whose time is more than `days` days ago,
/// once at start and then every `interval`, in the background. Storage deletes in small
/// transactions, so evaluations are never held up for long.
public final class RetentionScheduler: Sendable {
    public let days: Int
    public let interval: Duration
    private let database: Database
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    public init(database: Database, days: Int, interval: Duration = .seconds(3600), logger: Logger) {
        self.database = database
        self.days = days
        self.interval = interval
        self.logger = logger
    }

    /// Starts the background task; a second call does nothing.
    public func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { [self] in
                while !Task.isCancelled {
                    guard await runOnce() else { return }
                    try? await Task.sleep(for: interval)
                }
            }
        }
        logger.info("retention started", ["retention_days": "\(days)", "interval_seconds": "\(interval.components.seconds)"])
    }

    /// Cancels the background task. A pass that is running stops after its current batch.
    public func stop() {
        task.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    /// Runs one pass and returns false when the database is closed, so the loop should end.
    func runOnce() async -> Bool {
        let cutoff = Date().addingTimeInterval(-Double(days) * 86_400)
        do {
            let run = try await database.deleteClosedAlerts(before: cutoff)
            let level: Logger.Level = run.deletedAlerts > 0 ? .info : .debug
            logger.log(
                level, "retention pass finished",
                [
                    "deleted_alerts": "\(run.deletedAlerts)", "batches": "\(run.batches)",
                    "cutoff": rfc3339(milliseconds: run.cutoffMilliseconds),
                ])
            return true
        } catch {
            if case .closed = error {
                return false
            }
            logger.error("retention pass failed", ["error": "\(error)", "retention_days": "\(days)"])
            return true
        }
    }
}

extension DetectionService {
    /// Returns the body of `GET /ready`: the database's file sizes and the last retention pass.
    func readinessJSON() -> String {
        let sizes = database.fileSizes()
        var json = JSONWriter()
        json.beginObject()
        json.member("status", "ready")
        json.key("database")
        json.beginObject()
        json.key("size_bytes"); json.number(sizes.databaseBytes)
        json.key("wal_bytes"); json.number(sizes.walBytes)
        json.endObject()
        json.key("last_retention_run")
        if let run = database.lastRetentionRun {
            json.beginObject()
            json.member("started_at", rfc3339(milliseconds: run.startedAtMilliseconds))
            json.member("finished_at", rfc3339(milliseconds: run.finishedAtMilliseconds))
            json.member("cutoff", rfc3339(milliseconds: run.cutoffMilliseconds))
            json.member("deleted_alerts", run.deletedAlerts)
            json.member("batches", run.batches)
            json.key("error"); json.string(run.failure)
            json.endObject()
        } else {
            json.null()
        }
        json.endObject()
        return json.text
    }
}
