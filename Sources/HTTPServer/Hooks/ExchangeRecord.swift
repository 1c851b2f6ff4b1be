/// What a connection records about its current request while reading it and responding, to build
/// the `HTTPExchange` once the response is written.
struct ExchangeRecord {
    var startedAt: MonotonicInstant
    /// Empty until the request line is parsed.
    var method = HTTPMethod("")
    /// Empty until the request target is parsed.
    var path = ""
    var routePattern: String?
    /// Nil until the head is parsed or a response needs one.
    var requestID: String?
    var requestBytes = 0
    var responseBytes = 0
    /// The status of the final response; nil while no response is queued.
    var status: Int?

    init(startedAt: MonotonicInstant) {
        self.startedAt = startedAt
    }

    func exchange(status: Int, remoteAddress: String, finishedAt: MonotonicInstant) -> HTTPExchange {
        HTTPExchange(
            method: method,
            path: path,
            routePattern: routePattern,
            status: status,
            duration: startedAt.duration(to: finishedAt),
            requestBytes: requestBytes,
            responseBytes: responseBytes,
            remoteAddress: remoteAddress,
            requestID: requestID ?? ""
        )
    }
}
