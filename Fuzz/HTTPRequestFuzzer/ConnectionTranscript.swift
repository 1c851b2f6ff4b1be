import HTTPServer

/// What a connection did with one client's bytes: the bytes it sent back, the requests its
/// handler saw, the exchanges it reported and the events it logged, in order.
struct ConnectionTranscript: Equatable, CustomStringConvertible {
    var output: [UInt8] = []
    var entries: [String] = []
    var closed = false

    /// Small limits, so that short inputs reach them.
    static let configuration = HTTPServerConfiguration(
        maxRequestTargetBytes: 256,
        maxHeaderBytes: 1024,
        maxHeaderCount: 16,
        maxBodyBytes: 4096,
        headCheck: { head in
            head.headers.contains("X-Deny") ? HTTPResponse.problem(status: 403, detail: "Denied by the fuzz target.") : nil
        }
    )

    static let routes: RouteTable = {
        var router = Router()
        let echo: HTTPHandler = { request in HTTPResponse(status: 200, body: request.body) }
        router.add(.GET, "/health", echo)
        router.add(.POST, "/evaluate", echo)
        router.add(.GET, "/alerts", echo)
        router.add(.GET, "/alerts/{id}", echo)
        router.add(.PATCH, "/alerts/{id}", echo)
        router.add(.GET, "/alerts/stats", echo)
        router.add(.PUT, "/exceptions/{id}", echo)
        router.add(.DELETE, "/exceptions/{id}", echo)
        return RouteTable(router)
    }()

    /// One fixed clock reading for the whole run, so that `Date` fields and durations match.
    static let now = Timestamp(instant: MonotonicInstant.now, httpDate: "Thu, 01 Jan 2026 00:00:00 GMT")

    /// Runs a connection that receives `reads` one after another, then the end of input.
    static func record(reads: [ArraySlice<UInt8>]) -> ConnectionTranscript {
        var transcript = ConnectionTranscript()
        var machine = HTTPConnectionStateMachine(
            configuration: configuration,
            routes: routes,
            remoteAddress: "127.0.0.1:40000",
            now: now,
            requestIDs: RequestIDGenerator(seed: 1)
        )

        for read in reads {
            transcript.settle(&machine)
            guard !transcript.closed, machine.wantsInput else {
                break
            }
            transcript.take(machine.receive(read, now: now), from: &machine)
            transcript.settle(&machine)
        }
        if !transcript.closed {
            transcript.take(machine.receiveEndOfInput(now: now), from: &machine)
            transcript.settle(&machine)
        }
        return transcript
    }

    /// Sends all pending output, as a socket that takes everything would.
    mutating func settle(_ machine: inout HTTPConnectionStateMachine) {
        while !closed && !machine.pendingOutput.isEmpty {
            let pending = machine.pendingOutput
            output.append(contentsOf: pending)
            take(machine.didSend(pending.count, now: Self.now), from: &machine)
        }
    }

    mutating func take(_ actions: [HTTPConnectionStateMachine.Action], from machine: inout HTTPConnectionStateMachine) {
        for action in actions {
            switch action {
            case .runHandler(let request, _):
                entries.append("request \(request.method) \(request.target) \(request.headers.count) fields \(request.body.count) bytes")
                // The route handlers echo the body; the fuzz target cannot await them.
                let response = HTTPResponse(status: 200, body: request.body)
                take(machine.handlerCompleted(response, now: Self.now), from: &machine)
            case .shutdownOutput:
                entries.append("shutdown output")
            case .close:
                closed = true
            case .log(let event):
                entries.append("log \(event)")
            case .exchangeCompleted(let exchange):
                // Request bytes of a rejected request count what had arrived, which depends on
                // the reads, so only successful exchanges compare them.
                let bytes = exchange.status < 300 ? " \(exchange.requestBytes) bytes in" : ""
                entries.append(
                    "exchange \(exchange.status) \(exchange.method) \(exchange.path) \(exchange.routePattern ?? "-") \(exchange.requestID)\(bytes) \(exchange.responseBytes) bytes out"
                )
            }
        }
    }

    var description: String {
        "closed: \(closed), entries: \(entries), output: \(String(decoding: output, as: UTF8.self).debugDescription)"
    }
}
