/// Request processing: from parsed head to handler, and the responses the connection sends itself.
extension HTTPConnectionStateMachine {
    mutating func process(now: Timestamp) -> [Action] {
        var actions: [Action] = []
        processing: while inputStart < input.count {
            switch phase {
            case .head:
                if headStartedAt == nil {
                    headStartedAt = now.instant
                }
                if exchange == nil {
                    exchange = ExchangeRecord(startedAt: now.instant)
                }
                do {
                    let (head, consumed) = try headParser.parse(input[inputStart...])
                    inputStart += consumed
                    exchange?.requestBytes += consumed
                    guard let head else {
                        break processing
                    }
                    Self.append(startRequest(head, now: now), to: &actions)
                } catch {
                    recordRejectedHead()
                    Self.append(reject(error, context: nil, now: now), to: &actions)
                    break processing
                }

            case .body:
                do {
                    let consumed = try pending!.reader.read(input[inputStart...])
                    inputStart += consumed
                    exchange?.requestBytes += consumed
                } catch {
                    exchange?.requestBytes += input.count - inputStart
                    Self.append(reject(error, context: pending?.context, now: now), to: &actions)
                    break processing
                }
                if pending!.reader.isComplete {
                    Self.append(finishBody(now: now), to: &actions)
                }

            case .handler, .responding, .lingering, .closed:
                break processing
            }
        }
        compactInput()
        return actions
    }

    /// Appends `new` to `actions`, taking its storage when `actions` is empty, as it usually is:
    /// one request per read needs no second array.
    static func append(_ new: [Action], to actions: inout [Action]) {
        if actions.isEmpty {
            actions = new
        } else {
            actions += new
        }
    }

    mutating func compactInput() {
        if inputStart == input.count {
            input.removeAll(keepingCapacity: input.capacity <= 64 * 1024)
            inputStart = 0
        } else if inputStart > 64 * 1024 {
            input.removeFirst(inputStart)
            inputStart = 0
        }
    }

    /// Records what the head parser got of a head it rejected: the bytes it was given and, when
    /// the request line was parsed, the method and path.
    mutating func recordRejectedHead() {
        exchange?.requestBytes += input.count - inputStart
        if let requestLine = headParser.requestLine {
            exchange?.method = requestLine.method
            exchange?.path = (try? RequestTarget.parse(requestLine.target, method: requestLine.method))?.path ?? ""
        }
    }

    mutating func startRequest(_ head: RequestHead, now: Timestamp) -> [Action] {
        headStartedAt = nil
        headParser = RequestHeadParser(limits: configuration.headLimits)
        var context = ResponseContext(isHead: head.method == .HEAD, keepAlive: false, http10: head.version.minor == 0)
        let requestID = RequestID.accepted(head.fields[RequestID.fieldName]) ?? requestIDs.nextID()
        exchange?.method = head.method
        exchange?.requestID = requestID

        let framing: MessageFraming
        let target: RequestTarget
        let match: RouteTable.Match
        do {
            framing = try MessageFraming.analyze(head, maxBodyBytes: configuration.maxBodyBytes)
            if let lastRoute, lastRoute.method == head.method, lastRoute.target == head.target {
                target = lastRoute.parsed
                match = lastRoute.match
            } else {
                target = try RequestTarget.parse(head.target, method: head.method)
                match = routes.match(head.method, segments: target.segments)
                lastRoute = (head.method, head.target, target, match)
            }
        } catch {
            // The route still names the request in metrics and logs, as it does for other errors.
            if let target = try? RequestTarget.parse(head.target, method: head.method) {
                exchange?.path = target.path
                if case .found(_, _, let pattern) = routes.match(head.method, segments: target.segments) {
                    exchange?.routePattern = pattern
                }
            }
            return reject(error, context: context, now: now)
        }
        context.keepAlive = framing.keepAlive
        exchange?.path = target.path

        let handler: RouteHandler
        let parameters: [String: String]
        switch match {
        case .found(let found, let foundParameters, let pattern):
            handler = found
            parameters = foundParameters
            exchange?.routePattern = pattern
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

        if let headCheck = configuration.headCheck {
            let requestHead = HTTPRequestHead(
                method: head.method,
                target: head.target,
                path: target.path,
                headers: head.fields,
                remoteAddress: remoteAddress,
                routePattern: exchange?.routePattern
            )
            if let response = headCheck(requestHead) {
                return refuse(response, framing: framing, context: context, now: now)
            }
        }

        let request = HTTPRequest(
            method: head.method,
            target: head.target,
            path: target.path,
            version: head.version.description,
            headers: head.fields,
            body: [],
            pathParameters: parameters,
            remoteAddress: remoteAddress,
            requestID: requestID
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
    mutating func refuse(
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

    mutating func finishBody(now: Timestamp) -> [Action] {
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

    mutating func timeOut(phase name: String, now: Timestamp) -> [Action] {
        let response = HTTPResponse.problem(
            status: 408,
            detail: "The request \(name) did not arrive within the time limit."
        )
        pending = nil
        respond(response, context: ResponseContext(isHead: false, keepAlive: false, http10: false), now: now)
        return [.log(.timedOut(phase: name))]
    }

    mutating func reject(_ error: HTTPRequestError, context: ResponseContext?, now: Timestamp) -> [Action] {
        var context = context ?? ResponseContext(isHead: false, keepAlive: false, http10: false)
        context.keepAlive = false
        pending = nil
        var extra: [String: ProblemValue] = [:]
        if let offset = error.offset {
            extra["byte_offset"] = .integer(offset)
        }
        if let limit = error.limit {
            extra["max"] = .integer(limit)
        }
        let response = HTTPResponse.problem(status: error.status, detail: error.detail, extra: extra)
        respond(response, context: context, now: now)
        return [.log(.rejected(error))]
    }

    mutating func respond(_ response: HTTPResponse, context: ResponseContext, now: Timestamp) {
        var record = exchange ?? ExchangeRecord(startedAt: now.instant)
        let requestID = record.requestID ?? requestIDs.nextID()
        record.requestID = requestID
        record.status = response.status
        exchange = record

        let keepAlive = context.keepAlive && !shuttingDown && !inputClosed
        let timeoutSeconds = Int(configuration.idleTimeout.components.seconds)
        if outputStart == output.count {
            writeDeadline = now.instant + configuration.writeTimeout
        }
        ResponseSerializer.serialize(
            response,
            isHead: context.isHead,
            persistence: keepAlive ? .keepAlive(timeout: timeoutSeconds, http10: context.http10) : .close,
            date: now.httpDate,
            requestID: requestID,
            into: &output
        )
        phase = .responding(close: !keepAlive)
    }

    mutating func enqueue(_ bytes: [UInt8], now: Timestamp) {
        if outputStart == output.count {
            writeDeadline = now.instant + configuration.writeTimeout
        }
        output.append(contentsOf: bytes)
    }
}
