/// A reading of the clocks a connection needs: a monotonic instant for deadlines and the wall-clock
/// time for `Date` fields. Tests pass readings they make up.
struct Timestamp {
    var instant: ContinuousClock.Instant
    var httpDate: String
}

/// The life of one HTTP/1.1 connection as a pure state machine: it takes received bytes, handler
/// responses and clock readings, keeps the input and output buffers, and returns the actions that
/// the event loop carries out. It never touches a socket.
///
/// One request is handled at a time. Bytes of pipelined requests stay buffered, and reading stops
/// until the response is sent, so the responses leave in request order (RFC 9112, section 9.3.2).
struct HTTPConnectionStateMachine {
    enum Action {
        /// Run `handler` for the request and pass its response to `handlerCompleted`.
        case runHandler(HTTPRequest, HTTPHandler)
        /// The final response is sent: shut down the sending side (SHUT_WR) and keep reading, so
        /// that unread request bytes do not make the kernel reset the connection before the
        /// client has read the response.
        case shutdownOutput
        /// Close the socket.
        case close
        /// Something for the debug log, about this connection's peer.
        case log(Event)
    }

    enum Event: Equatable {
        case rejected(HTTPRequestError)
        case timedOut(phase: String)
        case closedMidRequest(phase: String)
    }

    /// How long a closing connection reads and discards input after its final response.
    static let lingerTimeout: Duration = .seconds(2)
    /// How much input a closing connection discards before it closes without waiting further.
    static let maxLingerBytes = 1024 * 1024

    private struct ResponseContext {
        var isHead: Bool
        var keepAlive: Bool
        var http10: Bool
    }

    private struct PendingRequest {
        var request: HTTPRequest
        var handler: HTTPHandler
        var reader: BodyReader
        var contentCodings: [ContentCoding]
        var context: ResponseContext
        var deadline: ContinuousClock.Instant
    }

    private enum Phase {
        /// Waiting for a head; `idleSince` starts the idle timeout until the head's first byte.
        case head(idleSince: ContinuousClock.Instant)
        case body
        case handler(ResponseContext)
        /// A response is queued; after it is sent the connection reads the next request or closes.
        case responding(close: Bool)
        case lingering(until: ContinuousClock.Instant)
        case closed
    }

    private let configuration: HTTPServerConfiguration
    private let routes: RouteTable
    private let remoteAddress: String

    private var phase: Phase
    private var headParser: RequestHeadParser
    private var headStartedAt: ContinuousClock.Instant?
    private var pending: PendingRequest?
    private var isFirstRequest = true
    private var input: [UInt8] = []
    private var inputStart = 0
    private var inputClosed = false
    private var lingerDiscarded = 0
    private var output: [UInt8] = []
    private var outputStart = 0
    private var writeDeadline: ContinuousClock.Instant?
    private var shuttingDown = false

    init(configuration: HTTPServerConfiguration, routes: RouteTable, remoteAddress: String, now: Timestamp) {
        self.configuration = configuration
        self.routes = routes
        self.remoteAddress = remoteAddress
        self.phase = .head(idleSince: now.instant)
        self.headParser = RequestHeadParser(limits: configuration.headLimits)
    }

    // MARK: State the event loop reads

    /// Bytes waiting to be sent, oldest first.
    var pendingOutput: ArraySlice<UInt8> { output[outputStart...] }

    /// Whether the loop should read from the socket now. Reading pauses while a request is being
    /// handled or its response sent, which bounds the buffered input.
    var wantsInput: Bool {
        guard !inputClosed else { return false }
        switch phase {
        case .head, .body, .lingering: return true
        case .handler, .responding, .closed: return false
        }
    }

    var isClosed: Bool {
        if case .closed = phase { true } else { false }
    }

    /// The earliest instant at which `checkTimeouts` has something to do.
    var nextDeadline: ContinuousClock.Instant? {
        var deadlines: [ContinuousClock.Instant] = []
        if let writeDeadline {
            deadlines.append(writeDeadline)
        }
        switch phase {
        case .head(let idleSince):
            if let headStartedAt {
                deadlines.append(headStartedAt + configuration.headTimeout)
            } else {
                deadlines.append(idleSince + idleLimit)
            }
        case .body:
            if let pending {
                deadlines.append(pending.deadline)
            }
        case .lingering(let until):
            deadlines.append(until)
        case .handler, .responding, .closed:
            break
        }
        return deadlines.min()
    }

    /// A new connection gets the head timeout to send its first byte; a kept-alive one the idle timeout.
    private var idleLimit: Duration {
        isFirstRequest ? configuration.headTimeout : configuration.idleTimeout
    }

    // MARK: Inputs

    mutating func receive(_ bytes: some Collection<UInt8>, now: Timestamp) -> [Action] {
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

    /// The peer shut down its sending side, or the connection was reset.
    mutating func receiveEndOfInput(now: Timestamp) -> [Action] {
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

    mutating func handlerCompleted(_ response: HTTPResponse, now: Timestamp) -> [Action] {
        guard case .handler(let context) = phase else {
            return []
        }
        respond(response, context: context, now: now)
        return []
    }

    /// Records that the loop sent `count` bytes of `pendingOutput`.
    mutating func didSend(_ count: Int, now: Timestamp) -> [Action] {
        outputStart += count
        guard outputStart == output.count else {
            return []
        }
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputStart = 0
        writeDeadline = nil

        guard case .responding(let close) = phase else {
            return []
        }
        if close || inputClosed {
            if inputClosed {
                phase = .closed
                return [.close]
            }
            phase = .lingering(until: now.instant + Self.lingerTimeout)
            return [.shutdownOutput]
        }
        isFirstRequest = false
        phase = .head(idleSince: now.instant)
        return process(now: now)
    }

    mutating func checkTimeouts(now: Timestamp) -> [Action] {
        if let writeDeadline, now.instant >= writeDeadline {
            phase = .closed
            return [.log(.timedOut(phase: "write")), .close]
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
    mutating func beginShutdown(now: Timestamp) -> [Action] {
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

    // MARK: Request processing

    private mutating func process(now: Timestamp) -> [Action] {
        var actions: [Action] = []
        processing: while inputStart < input.count {
            switch phase {
            case .head:
                if headStartedAt == nil {
                    headStartedAt = now.instant
                }
                do {
                    let (head, consumed) = try headParser.parse(input[inputStart...])
                    inputStart += consumed
                    guard let head else {
                        break processing
                    }
                    actions += startRequest(head, now: now)
                } catch {
                    actions += reject(error, context: nil, now: now)
                    break processing
                }

            case .body:
                do {
                    inputStart += try pending!.reader.read(input[inputStart...])
                } catch {
                    actions += reject(error, context: pending?.context, now: now)
                    break processing
                }
                if pending!.reader.isComplete {
                    actions += finishBody(now: now)
                }

            case .handler, .responding, .lingering, .closed:
                break processing
            }
        }
        compactInput()
        return actions
    }

    private mutating func compactInput() {
        if inputStart == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 64 * 1024)
            inputStart = 0
        } else if inputStart > 64 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    private mutating func startRequest(_ head: RequestHead, now: Timestamp) -> [Action] {
        headStartedAt = nil
        headParser = RequestHeadParser(limits: configuration.headLimits)
        var context = ResponseContext(isHead: head.method == .HEAD, keepAlive: false, http10: head.version.minor == 0)

        let framing: MessageFraming
        let target: RequestTarget
        do {
            framing = try MessageFraming.analyze(head, maxBodyBytes: configuration.maxBodyBytes)
            target = try RequestTarget.parse(head.target, method: head.method)
        } catch {
            return reject(error, context: context, now: now)
        }
        context.keepAlive = framing.keepAlive

        let handler: HTTPHandler
        let parameters: [String: String]
        switch routes.match(head.method, segments: target.segments) {
        case .found(let found, let foundParameters):
            handler = found
            parameters = foundParameters
        case .notFound:
            let response = HTTPResponse.problem(status: 404, detail: "No resource exists at \(HTTPRequestError.quote(target.path)).")
            return refuse(response, framing: framing, context: context, now: now)
        case .methodNotAllowed(let allowed):
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            var response = HTTPResponse.problem(
                status: 405,
                detail: "The method \(HTTPRequestError.quote(head.method.rawValue)) is not allowed for \(HTTPRequestError.quote(target.path)); use \(allow)."
            )
            response.headers.set("Allow", allow)
            return refuse(response, framing: framing, context: context, now: now)
        }

        let request = HTTPRequest(
            method: head.method,
            target: head.target,
            path: target.path,
            version: head.version.description,
            headers: head.fields,
            body: [],
            pathParameters: parameters,
            remoteAddress: remoteAddress
        )
        pending = PendingRequest(
            request: request,
            handler: handler,
            reader: BodyReader(framing.bodyLength, configuration: configuration),
            contentCodings: framing.contentCodings,
            context: context,
            deadline: now.instant + configuration.bodyTimeout
        )
        if framing.bodyLength == .none {
            return finishBody(now: now)
        }

        phase = .body
        if framing.expectsContinue {
            enqueue(ResponseSerializer.continueResponse, now: now)
        }
        return []
    }

    /// Sends a final response to a request whose body will not be read. When the request has a
    /// body, the connection closes rather than read the body as the next request
    /// (RFC 9110, section 10.1.1).
    private mutating func refuse(
        _ response: HTTPResponse,
        framing: MessageFraming,
        context: ResponseContext,
        now: Timestamp
    ) -> [Action] {
        var context = context
        if framing.bodyLength != .none {
            context.keepAlive = false
        }
        respond(response, context: context, now: now)
        return []
    }

    private mutating func finishBody(now: Timestamp) -> [Action] {
        guard var pending else {
            return []
        }
        self.pending = nil

        var body = pending.reader.body
        if !body.isEmpty {
            do {
                for coding in pending.contentCodings.reversed() {
                    body = try coding.decode(body, maxDecodedBytes: configuration.maxBodyBytes)
                }
            } catch {
                return reject(error, context: pending.context, now: now)
            }
        }
        if !pending.contentCodings.isEmpty {
            pending.request.headers.remove("Content-Encoding")
        }
        pending.request.body = body

        phase = .handler(pending.context)
        return [.runHandler(pending.request, pending.handler)]
    }

    private mutating func timeOut(phase name: String, now: Timestamp) -> [Action] {
        let response = HTTPResponse.problem(
            status: 408,
            detail: "The request \(name) did not arrive within the time limit."
        )
        pending = nil
        respond(response, context: ResponseContext(isHead: false, keepAlive: false, http10: false), now: now)
        return [.log(.timedOut(phase: name))]
    }

    private mutating func reject(_ error: HTTPRequestError, context: ResponseContext?, now: Timestamp) -> [Action] {
        var context = context ?? ResponseContext(isHead: false, keepAlive: false, http10: false)
        context.keepAlive = false
        pending = nil
        var extra: [String: ProblemValue] = [:]
        if let offset = error.offset {
            extra["offset"] = .integer(offset)
        }
        let response = HTTPResponse.problem(status: error.status, detail: error.detail, extra: extra)
        respond(response, context: context, now: now)
        return [.log(.rejected(error))]
    }

    private mutating func respond(_ response: HTTPResponse, context: ResponseContext, now: Timestamp) {
        let keepAlive = context.keepAlive && !shuttingDown && !inputClosed
        let timeoutSeconds = Int(configuration.idleTimeout.components.seconds)
        let bytes = ResponseSerializer.serialize(
            response,
            isHead: context.isHead,
            persistence: keepAlive ? .keepAlive(timeout: timeoutSeconds, http10: context.http10) : .close,
            date: now.httpDate
        )
        enqueue(bytes, now: now)
        phase = .responding(close: !keepAlive)
    }

    private mutating func enqueue(_ bytes: [UInt8], now: Timestamp) {
        if outputStart == output.count {
            writeDeadline = now.instant + configuration.writeTimeout
        }
        output.append(contentsOf: bytes)
    }
}
