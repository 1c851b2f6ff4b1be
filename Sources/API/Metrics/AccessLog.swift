import HTTPServer
import Logging

/// The access log: one `info` line per answered request, written when `--access-log` is on.
public struct AccessLog: Sendable {
    public static let message = "request completed"

    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The fields of one access log line. `duration_ms` has microsecond precision; `route` is
    /// the route pattern, or `unmatched`.
    public static func fields(
        method: HTTPMethod, path: String, route: String?, status: Int, duration: Duration,
        requestBytes: Int, responseBytes: Int, remoteAddress: String, requestID: String
    ) -> [String: String] {
        [
            "method": method.rawValue,
            "path": path,
            "route": route ?? "unmatched",
            "status": String(status),
            "duration_ms": milliseconds(duration),
            "request_bytes": String(requestBytes),
            "response_bytes": String(responseBytes),
            "remote_address": remoteAddress,
            "request_id": requestID,
        ]
    }

    public func record(
        method: HTTPMethod, path: String, route: String?, status: Int, duration: Duration,
        requestBytes: Int, responseBytes: Int, remoteAddress: String, requestID: String
    ) {
        logger.info(
            Self.message,
            Self.fields(
                method: method, path: path, route: route, status: status, duration: duration,
                requestBytes: requestBytes, responseBytes: responseBytes, remoteAddress: remoteAddress,
                requestID: requestID))
    }

    /// Milliseconds with three decimals, such as `12.345`.
    static func milliseconds(_ duration: Duration) -> String {
        let microseconds = Int64((duration.seconds * 1_000_000).rounded())
        let whole = microseconds / 1000
        let fraction = microseconds % 1000
        let padded = String(fraction)
        return "\(whole).\(String(repeating: "0", count: 3 - padded.count))\(padded)"
    }
}
