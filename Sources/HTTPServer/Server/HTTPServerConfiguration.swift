import Glibc

/// Limits, timeouts and the listening address of an `HTTPServer`.
public struct HTTPServerConfiguration: Sendable {
    /// A numeric IPv4 or IPv6 address, or a host name that resolves to one.
    public var host: String
    /// The TCP port; 0 picks a free ephemeral port, which `HTTPServer.start()` returns.
    public var port: Int
    /// Event-loop threads; each serves the connections it accepted.
    public var loopCount: Int
    /// Maximum open connections across all loops. A connection beyond it gets 503 and is closed.
    public var maxConnections: Int
    /// Maximum request target length in bytes (414 beyond).
    public var maxRequestTargetBytes: Int
    /// Maximum header section size in bytes, counting each field line with its CRLF (431 beyond).
    public var maxHeaderBytes: Int
    /// Maximum number of field lines in a header section (431 beyond).
    public var maxHeaderCount: Int
    /// Maximum body size in bytes, on the wire and again after content decoding (413 beyond).
    public var maxBodyBytes: Int
    /// Time from a request's first byte to the end of its head; later lines do not extend it.
    public var headTimeout: Duration
    /// Time from the end of a request's head to the end of its body.
    public var bodyTimeout: Duration
    /// Time a keep-alive connection may wait for its next request; advertised in `Keep-Alive`.
    public var idleTimeout: Duration
    /// Time to send a whole response once it is ready.
    public var writeTimeout: Duration
    /// Time `shutdown()` lets in-flight requests finish before it closes their connections.
    public var shutdownGracePeriod: Duration
    /// Largest request body, in bytes after decoding, whose handler starts on the event-loop
    /// thread and runs there until it first suspends; larger requests start on the global
    /// executor. A handler that returns without suspending then saves two thread switches, but
    /// it delays the loop's other connections while it runs. -1 starts every handler on the
    /// global executor.
    public var inlineHandlerMaxBodyBytes: Int
    /// Called once a request head is parsed and its route found, before 100 Continue is sent and
    /// before any body byte is read. A non-nil response is sent instead (and the connection is
    /// closed if a body was announced); the handler never runs. It runs on an event-loop thread,
    /// so it must return quickly and never block.
    public var headCheck: (@Sendable (HTTPRequestHead) -> HTTPResponse?)?
    /// Called after each response is written (or failed), with what the access log and metrics
    /// need. It runs on an event-loop thread, so it must return quickly and never block.
    public var onResponse: (@Sendable (HTTPExchange) -> Void)?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        loopCount: Int = HTTPServerConfiguration.coreCount,
        maxConnections: Int = 1024,
        maxRequestTargetBytes: Int = 8192,
        maxHeaderBytes: Int = 16384,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 16 * 1024 * 1024,
        headTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60),
        writeTimeout: Duration = .seconds(30),
        shutdownGracePeriod: Duration = .seconds(10),
        inlineHandlerMaxBodyBytes: Int = 64 * 1024,
        headCheck: (@Sendable (HTTPRequestHead) -> HTTPResponse?)? = nil,
        onResponse: (@Sendable (HTTPExchange) -> Void)? = nil
    ) {
        self.host = host
        self.port = port
        self.loopCount = loopCount
        self.maxConnections = maxConnections
        self.maxRequestTargetBytes = maxRequestTargetBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.inlineHandlerMaxBodyBytes = inlineHandlerMaxBodyBytes
        self.headCheck = headCheck
        self.onResponse = onResponse
    }

    /// The processors online, at least 1.
    public static var coreCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    var headLimits: RequestHeadParser.Limits {
        RequestHeadParser.Limits(
            maxRequestTargetBytes: maxRequestTargetBytes,
            maxHeaderBytes: maxHeaderBytes,
            maxHeaderCount: maxHeaderCount
        )
    }
}
