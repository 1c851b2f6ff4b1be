import Synchronization

/// Where a handler's response goes: back to the loop within the call that started the handler,
/// or through the mailbox once the handler has suspended.
final class HandlerCompletion: Sendable {
    enum State {
        /// The loop thread is still inside `Task.immediate`.
        case starting
        case completedInline(HTTPResponse)
        /// The handler suspended, so its response goes through `EventLoop.complete`.
        case detached
    }

    let state = Mutex(State.starting)
}

extension EventLoop {
    /// Runs a route's handler for a request and passes its response to the connection.
    ///
    /// An immediate handler runs right here. A request whose body is at most `inlineHandlerMaxBodyBytes` starts its handler on this
    /// thread with `Task.immediate`. A handler that returns without suspending, such as
    /// `GET /health`, then responds without the two thread switches and the eventfd write of
    /// the mailbox. One that suspends continues on the global executor and responds through
    /// the mailbox, as larger requests always do, so that a long evaluation cannot stall the
    /// loop's other connections.
    func runHandler(_ routeHandler: RouteHandler, for request: HTTPRequest, on connection: Connection, now: Timestamp) {
        let handler: HTTPHandler
        switch routeHandler {
        case .immediate(let immediate):
            perform(connection.machine.handlerCompleted(immediate(request), now: now), on: connection, now: now)
            return
        case .async(let asynchronous):
            handler = asynchronous
        }
        let id = connection.id
        guard request.body.count <= context.configuration.inlineHandlerMaxBodyBytes else {
            Task {
                let response = await handler(request)
                self.complete(connection: id, response: response)
            }
            return
        }

        let completion = HandlerCompletion()
        Task.immediate {
            let response = await handler(request)
            let completedInline = completion.state.withLock { state in
                guard case .starting = state else {
                    return false
                }
                state = .completedInline(response)
                return true
            }
            if !completedInline {
                self.complete(connection: id, response: response)
            }
        }

        let inlineResponse = completion.state.withLock { state -> HTTPResponse? in
            if case .completedInline(let response) = state {
                return response
            }
            state = .detached
            return nil
        }
        if let inlineResponse {
            perform(connection.machine.handlerCompleted(inlineResponse, now: now), on: connection, now: now)
        }
    }
}
