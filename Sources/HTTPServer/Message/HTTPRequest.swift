/// A request as the handler sees it: the head, the whole body, and the route's parameters.
///
/// When the request came with a `Content-Encoding` of gzip or deflate, `body` holds the decoded
/// bytes and the `Content-Encoding` field is removed from `headers`.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target exactly as received (RFC 9112, section 3.2).
    public var target: String
    /// The percent-decoded path of the target, without the query.
    public var path: String
    /// "HTTP/1.1" or "HTTP/1.0".
    public var version: String
    public var headers: HTTPFields
    public var body: [UInt8]
    /// The values of the route pattern's `{name}` segments, percent-decoded.
    public var pathParameters: [String: String]
    /// The peer as "address:port", for logs.
    public var remoteAddress: String
    /// The client's `X-Request-Id` when it is 1 to 128 visible ASCII characters, else 32 random
    /// hex digits from the server. The response echoes it in `X-Request-Id`; log lines about the
    /// request should carry it as `request_id`.
    public var requestID: String

    public init(
        method: HTTPMethod,
        target: String,
        path: String,
        version: String = "HTTP/1.1",
        headers: HTTPFields = .init(),
        body: [UInt8] = [],
        pathParameters: [String: String] = [:],
        remoteAddress: String = "",
        requestID: String = ""
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.version = version
        self.headers = headers
        self.body = body
        self.pathParameters = pathParameters
        self.remoteAddress = remoteAddress
        self.requestID = requestID
    }

    /// The raw query of the target: the text after the first "?", or "" when there is none.
    public var query: String {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            return ""
        }
        return String(target[target.utf8.index(after: mark)...])
    }

    /// The query's name-value pairs in order, split at "&" and the first "=", with "+" read as a
    /// space and percent-escapes decoded (the HTML form encoding). A pair whose escapes are
    /// invalid keeps its raw text.
    public var queryItems: [(name: String, value: String)] {
        let query = query
        guard !query.isEmpty else {
            return []
        }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = PercentDecoding.decodeFormComponent(parts[0])
            let value = parts.count > 1 ? PercentDecoding.decodeFormComponent(parts[1]) : ""
            return (name, value)
        }
    }

    /// The first value of the query parameter `name`, decoded as in `queryItems`.
    public func queryValue(_ name: String) -> String? {
        queryItems.first(where: { $0.name == name })?.value
    }

    /// Every value of the query parameter `name`, in order.
    public func queryValues(_ name: String) -> [String] {
        queryItems.filter { $0.name == name }.map(\.value)
    }
}
