/// The parsed head of a request, before its body is read.
///
/// `HTTPServerConfiguration.headCheck` receives it only for requests whose route matched, so
/// there `routePattern` is always set.
public struct HTTPRequestHead: Sendable {
    public let method: HTTPMethod
    /// The request target exactly as received (RFC 9112, section 3.2).
    public let target: String
    /// The percent-decoded path of the target, without the query.
    public let path: String
    public let headers: HTTPFields
    /// The peer as "address:port".
    public let remoteAddress: String
    /// The pattern of the matched route, such as "/alerts/{id}"; nil when no route matched.
    public let routePattern: String?

    public init(
        method: HTTPMethod,
        target: String,
        path: String,
        headers: HTTPFields,
        remoteAddress: String,
        routePattern: String?
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.headers = headers
        self.remoteAddress = remoteAddress
        self.routePattern = routePattern
    }
}
