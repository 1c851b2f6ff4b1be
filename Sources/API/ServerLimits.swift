import Detection
import HTTPServer

/// The request and connection limits that flags set (`--max-body-bytes`, `--max-events`,
/// `--max-header-bytes`, `--max-header-fields`, `--max-target-bytes`, `--max-connections`,
/// `--head-timeout`, `--body-timeout`, `--idle-timeout`). The defaults are the HTTP server's
/// and the event decoder's own.
public struct ServerLimits: Sendable, Equatable {
    public var maxBodyBytes = 16 * 1024 * 1024
    public var maxEvents = 100_000
    public var maxHeaderBytes = 16_384
    public var maxHeaderFields = 100
    public var maxTargetBytes = 8_192
    public var maxConnections = 1_024
    public var headTimeoutSeconds = 10
    public var bodyTimeoutSeconds = 30
    public var idleTimeoutSeconds = 60

    public init() {}

    /// The event decoder's limits with `maxEvents` from these.
    public var eventDecoderLimits: EventDecoderLimits {
        EventDecoderLimits(maxEvents: maxEvents)
    }

    /// Writes these limits into the HTTP server's configuration.
    public func apply(to configuration: inout HTTPServerConfiguration) {
        configuration.maxBodyBytes = maxBodyBytes
        configuration.maxHeaderBytes = maxHeaderBytes
        configuration.maxHeaderCount = maxHeaderFields
        configuration.maxRequestTargetBytes = maxTargetBytes
        configuration.maxConnections = maxConnections
        configuration.headTimeout = .seconds(headTimeoutSeconds)
        configuration.bodyTimeout = .seconds(bodyTimeoutSeconds)
        configuration.idleTimeout = .seconds(idleTimeoutSeconds)
    }
}
