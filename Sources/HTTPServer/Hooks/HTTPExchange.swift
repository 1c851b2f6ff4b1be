/// One request and its response as the access log and metrics see them, reported through
/// `HTTPServerConfiguration.onResponse` after the response was written or writing it failed.
public struct HTTPExchange: Sendable {
    /// The request method; empty when the server rejected the request before its request line
    /// was parsed.
    public let method: HTTPMethod
    /// The percent-decoded path of the target; empty when the request line or its target could
    /// not be parsed.
    public let path: String
    /// The pattern of the matched route, such as "/alerts/{id}"; nil when no route matched,
    /// including 404, 405 and requests rejected before routing.
    public let routePattern: String?
    public let status: Int
    /// Time from the request's first byte to the last byte of the response handed to the kernel
    /// (or to the failure). For a connection rejected at the connection limit, the time to send
    /// the 503.
    public let duration: Duration
    /// Bytes of the request on the wire: head and body before content decoding.
    public let requestBytes: Int
    /// Bytes sent for this request, a `100 Continue` included; fewer than the response's size when
    /// writing it failed.
    public let responseBytes: Int
    /// The peer as "address:port".
    public let remoteAddress: String
    /// The client's `X-Request-Id` when valid, else the one the server generated.
    public let requestID: String

    public init(
        method: HTTPMethod,
        path: String,
        routePattern: String?,
        status: Int,
        duration: Duration,
        requestBytes: Int,
        responseBytes: Int,
        remoteAddress: String,
        requestID: String
    ) {
        self.method = method
        self.path = path
        self.routePattern = routePattern
        self.status = status
        self.duration = duration
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.remoteAddress = remoteAddress
        self.requestID = requestID
    }
}
