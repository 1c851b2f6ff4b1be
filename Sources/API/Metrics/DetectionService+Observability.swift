import Foundation
import HTTPServer
import Logging

extension DetectionService {
    /// Records one answered request in the HTTP metrics and, when it is on, the access log.
    ///
    /// The route handler wrapper calls it for every routed request. The parameters are those
    /// of the HTTP server's response hook, so that the hook can call it for every request,
    /// routed or not, instead.
    public func recordResponse(
        method: HTTPMethod, path: String, route: String?, status: Int, duration: Duration,
        requestBytes: Int, responseBytes: Int, remoteAddress: String, requestID: String
    ) {
        metrics.recordHTTP(method: method, route: route, status: status, duration: duration)
        accessLog?.record(
            method: method, path: path, route: route, status: status, duration: duration,
            requestBytes: requestBytes, responseBytes: responseBytes, remoteAddress: remoteAddress,
            requestID: requestID)
    }

    /// Registers the gauges read from the service's state at every scrape. They hold the
    /// service weakly, so that the registry does not keep it alive.
    func registerStateMetrics() {
        metrics.registry.gauge(
            "detectd_exceptions_active",
            help: "Exception items in force: stored, valid and not expired.",
            read: { [weak self] in
                guard let self else { return [] }
                return [([], Double(self.currentExceptions.activeCount(at: Date())))]
            })
        metrics.registry.gauge(
            "detectd_database_size_bytes",
            help: "Size of the SQLite database file and of its write-ahead log, in bytes.",
            labelNames: ["file"],
            read: { [weak self] in
                guard let self else { return [] }
                let path = self.database.path
                return [(["database"], Self.fileSize(path)), (["wal"], Self.fileSize(path + "-wal"))]
            })
        metrics.registry.sampledCounter(
            "detectd_database_transactions_total",
            help: "Write transactions of the database writer since start, by outcome.",
            labelNames: ["outcome"],
            read: { [weak self] in
                guard let self else { return [] }
                let statistics = self.database.writeStatistics
                return [
                    (["committed"], Double(statistics.committedTransactions)),
                    (["failed"], Double(statistics.failedTransactions)),
                ]
            })
    }

    /// The size of a file in bytes, or 0 when it does not exist (a WAL after a checkpoint
    /// that truncated it, for example).
    static func fileSize(_ path: String) -> Double {
        var status = stat()
        guard stat(path, &status) == 0 else {
            return 0
        }
        return Double(status.st_size)
    }
}
