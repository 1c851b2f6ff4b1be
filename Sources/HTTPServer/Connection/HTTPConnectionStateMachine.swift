/// A reading of the clocks a connection needs: a monotonic instant for deadlines and the wall-clock
/// time for `Date` fields. Tests pass readings they make up.
package struct Timestamp {
    var instant: MonotonicInstant
    var httpDate: String

    package init(instant: MonotonicInstant, httpDate: String) {
        self.instant = instant
        self.httpDate = httpDate
    }
}

/// The life of one HTTP/1.1 connection as a pure state machine: it takes received bytes, handler
/// responses and clock readings, keeps the input and output buffers, and returns the actions that
/// the event loop carries out. It never touches a socket.
///
/// One request is handled at a time. Bytes of pipelined requests stay buffered, and reading stops
/// until the response is sent, so the responses leave in request order (RFC 9112, section 9.3.2).
///
/// `package` members are the ones the fuzz targets drive.
package struct HTTPConnectionStateMachine {
    package enum Action {
        /// Run `handler` for the request and pass its response to `handlerCompleted`.
        case runHandler(HTTPRequest, RouteHandler)
        /// The final response is sent: shut down the sending side (SHUT_WR) and keep reading, so
        /// that unread request bytes do not make the kernel reset the connection before the
        /// client has read the response.
        case shutdownOutput
        /// Close the socket.
        case close
        /// Something for the debug log, about this connection's peer.
        case log(Event)
        /// A response was written or writing it failed: pass the exchange to `onResponse`.
        case exchangeCompleted(HTTPExchange)
    }

    package enum Event: Equatable {
        case rejected(HTTPRequestError)
        case timedOut(phase: String)
        case closedMidRequest(phase: String)
    }

    /// How long a closing connection reads and discards input after its final response.
    static let lingerTimeout: Duration = .seconds(2)
    /// How much input a closing connection discards before it closes without waiting further.
    static let maxLingerBytes = 1024 * 1024

    struct ResponseContext {
        var isHead: Bool
        var keepAlive: Bool
        var http10: Bool
    }

    struct PendingRequest {
        var request: HTTPRequest
        var handler: RouteHandler
        var reader: BodyReader
        var contentCodings: [ContentCoding]
        var context: ResponseContext
        var deadline: MonotonicInstant
    }

    enum Phase {
        /// Waiting for a head; `idleSince` starts the idle timeout until the head's first byte.
        case head(idleSince: MonotonicInstant)
        case body
        case handler(ResponseContext)
        /// A response is queued; after it is sent the connection reads the next request or closes.
        case responding(close: Bool)
        case lingering(until: MonotonicInstant)
        case closed
    }

    let configuration: HTTPServerConfiguration
    let routes: RouteTable
    let remoteAddress: String

    var phase: Phase
    var headParser: RequestHeadParser
    var headStartedAt: MonotonicInstant?
    var pending: PendingRequest?
    var isFirstRequest = true
    var input: [UInt8] = []
    var inputStart = 0
    var inputClosed = false
    var lingerDiscarded = 0
    var output: [UInt8] = []
    var outputStart = 0
    var writeDeadline: MonotonicInstant?
    var shuttingDown = false
    /// The request being read or responded to, from its first byte until its response is written.
    var exchange: ExchangeRecord?
    var requestIDs: RequestIDGenerator
    /// The previous request's method, target, parsed target and route. Clients on a keep-alive
    /// connection tend to repeat one request (a log shipper posting to /evaluate, a probe
    /// polling /health), and the route table is frozen, so the same pair gives the same result.
    var lastRoute: (method: HTTPMethod, target: String, parsed: RequestTarget, match: RouteTable.Match)?

    package init(
        configuration: HTTPServerConfiguration,
        routes: RouteTable,
        remoteAddress: String,
        now: Timestamp,
        requestIDs: RequestIDGenerator = RequestIDGenerator()
    ) {
        self.configuration = configuration
        self.routes = routes
        self.remoteAddress = remoteAddress
        self.phase = .head(idleSince: now.instant)
        self.headParser = RequestHeadParser(limits: configuration.headLimits)
        self.requestIDs = requestIDs
    }

    // MARK: State the event loop reads

    /// Bytes waiting to be sent, oldest first.
    package var pendingOutput: ArraySlice<UInt8> { output[outputStart...] }

    /// Whether the loop should read from the socket now. Reading pauses while a request is being
    /// handled or its response sent, which bounds the buffered input.
    package var wantsInput: Bool {
        guard !inputClosed else { return false }
        switch phase {
        case .head, .body, .lingering: return true
        case .handler, .responding, .closed: return false
        }
    }

    package var isClosed: Bool {
        if case .closed = phase { true } else { false }
    }

    /// Whether a handler is running for the current request.
    var isRunningHandler: Bool {
        if case .handler = phase { true } else { false }
    }

    /// The id of the current request once it has one, for log lines.
    var currentRequestID: String? { exchange?.requestID }

    /// The earliest instant at which `checkTimeouts` has something to do.
    var nextDeadline: MonotonicInstant? {
        let phaseDeadline: MonotonicInstant?
        switch phase {
        case .head(let idleSince):
            phaseDeadline = headStartedAt.map { $0 + configuration.headTimeout } ?? idleSince + idleLimit
        case .body:
            phaseDeadline = pending?.deadline
        case .lingering(let until):
            phaseDeadline = until
        case .handler, .responding, .closed:
            phaseDeadline = nil
        }
        guard let writeDeadline else {
            return phaseDeadline
        }
        return min(writeDeadline, phaseDeadline ?? writeDeadline)
    }

    /// A new connection gets the head timeout to send its first byte; a kept-alive one the idle timeout.
    var idleLimit: Duration {
        isFirstRequest ? configuration.headTimeout : configuration.idleTimeout
    }

    // MARK: Inputs

    package mutating func receive(_ bytes: some Collection<UInt8>, now: Timestamp) -> [Action] {
        switch phase {
        case .closed:
            return []
        case .lingering:
            lingerDiscarded += bytes.count
            if lingerDiscarded > Self.maxLingerBytes {
                phase = .closed
                return [.close]
            }
            return []
        default:
            input.append(contentsOf: bytes)
            return process(now: now)
        }
    }

    /// Records that the peer shut down its sending side or that the connection was reset.
    package mutating func receiveEndOfInput(now: Timestamp) -> [Action] {
        inputClosed = true
        switch phase {
        case .head:
            phase = .closed
            let started = headStartedAt != nil || inputStart < input.count
            return started ? [.log(.closedMidRequest(phase: "head")), .close] : [.close]
        case .body:
            phase = .closed
            return [.log(.closedMidRequest(phase: "body")), .close]
        case .handler:
            return []
        case .responding:
            phase = .responding(close: true)
            return []
        case .lingering:
            phase = .closed
            return [.close]
        case .closed:
            return []
        }
    }

    package mutating func handlerCompleted(_ response: HTTPResponse, now: Timestamp) -> [Action] {
        guard case .handler(let context) = phase else {
            return []
        }
        respond(response, context: context, now: now)
        return []
    }

    /// Records that the loop sent `count` bytes of `pendingOutput`.
    package mutating func didSend(_ count: Int, now: Timestamp) -> [Action] {
        outputStart += count
        exchange?.responseBytes += count
        guard outputStart == output.count else {
            return []
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputStart = 0
        writeDeadline = nil

        guard case .responding(let close) = phase else {
            return []
        }
        let completed = completeExchange(now: now)
        if close || inputClosed {
            if inputClosed {
                phase = .closed
                return completed + [.close]
            }
            phase = .lingering(until: now.instant + Self.lingerTimeout)
            return completed + [.shutdownOutput]
        }
        isFirstRequest = false
        phase = .head(idleSince: now.instant)
        var actions = completed
        Self.append(process(now: now), to: &actions)
        return actions
    }

    /// Ends the current exchange once its response is written or has failed, returning the
    /// report for `onResponse`; nothing when no response was queued.
    mutating func completeExchange(now: Timestamp) -> [Action] {
        guard let record = exchange, let status = record.status else {
            return []
        }
        exchange = nil
        return [.exchangeCompleted(record.exchange(status: status, remoteAddress: remoteAddress, finishedAt: now.instant))]
    }

    /// Hands over the current exchange when the event loop closes the connection on its own
    /// (a socket error, a peer gone while its handler runs, the end of the stop grace period).
    mutating func abandonExchange() -> ExchangeRecord? {
        defer { exchange = nil }
        return exchange
    }

    package mutating func checkTimeouts(now: Timestamp) -> [Action] {
        if let writeDeadline, now.instant >= writeDeadline {
            phase = .closed
            return [.log(.timedOut(phase: "write"))] + completeExchange(now: now) + [.close]
        }

        switch phase {
        case .head(let idleSince):
            if let headStartedAt {
                if now.instant >= headStartedAt + configuration.headTimeout {
                    return timeOut(phase: "head", now: now)
                }
            } else if now.instant >= idleSince + idleLimit {
                phase = .closed
                return [.log(.timedOut(phase: isFirstRequest ? "first request" : "idle")), .close]
            }
        case .body:
            if let pending, now.instant >= pending.deadline {
                return timeOut(phase: "body", now: now)
            }
        case .lingering(let until):
            if now.instant >= until {
                phase = .closed
                return [.close]
            }
        case .handler, .responding, .closed:
            break
        }
        return []
    }

    /// Starts a graceful stop: an idle connection closes now, and a busy one closes after its
    /// current response.
    package mutating func beginShutdown(now: Timestamp) -> [Action] {
        shuttingDown = true
        switch phase {
        case .head where headStartedAt == nil && inputStart == input.count:
            phase = .closed
            return [.close]
        case .responding:
            phase = .responding(close: true)
            return []
        default:
            return []
        }
    }
}
