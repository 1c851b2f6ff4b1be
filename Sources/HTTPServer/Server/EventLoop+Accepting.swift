import CLinux
import Glibc
import Logging

/// Accepting connections from the shared listener, and pausing or ending that.
extension EventLoop {
    func acceptConnections(now: Timestamp) {
        while watchesListener {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let descriptor: Int32
            do {
                descriptor = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemCallError) in
                    try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) in
                        try systemCall("accept4") {
                            clinux_accept4(context.listener, address, &length, CLINUX_SOCK_NONBLOCK | CLINUX_SOCK_CLOEXEC)
                        }
                    }
                }
            } catch {
                switch error.errno {
                case EAGAIN, EWOULDBLOCK:
                    return
                case ECONNABORTED, EPROTO, EPERM:
                    continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    context.logger.error("accept4 failed; pausing accepts", ["error": error.description])
                    pauseAccepting(now: now)
                    return
                default:
                    context.logger.error("accept4 failed", ["error": error.description])
                    return
                }
            }

            let (host, port) = ListeningSocket.describe(storage)
            let peer = "\(host):\(port)"
            let open = context.openConnections.add(1, ordering: .relaxed).newValue
            if open > context.configuration.maxConnections {
                context.openConnections.subtract(1, ordering: .relaxed)
                rejectOverCapacity(descriptor, peer: peer, now: now)
                continue
            }
            register(descriptor, peer: peer, now: now)
        }
    }

    func register(_ descriptor: Int32, peer: String, now: Timestamp) {
        var noDelay: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))

        let id = nextConnectionID
        nextConnectionID += 1
        let machine = HTTPConnectionStateMachine(
            configuration: context.configuration,
            routes: context.routes,
            remoteAddress: peer,
            now: now,
            requestIDs: RequestIDGenerator(seed: requestIDs.next())
        )
        let interest = CLINUX_EPOLLIN | CLINUX_EPOLLRDHUP
        do {
            try systemCall("epoll_ctl(ADD connection)") { clinux_epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, interest, id) }
        } catch {
            context.logger.error("Could not watch a new connection", ["peer": peer, "error": error.description])
            close(descriptor)
            context.openConnections.subtract(1, ordering: .relaxed)
            return
        }
        let connection = Connection(id: id, descriptor: descriptor, peer: peer, machine: machine, interest: interest)
        connections[id] = connection
        noteDeadline(of: connection)
    }

    /// Sends 503 to a connection beyond `maxConnections` and closes it. The response is small
    /// enough for an empty socket buffer, so a single non-blocking send suffices.
    func rejectOverCapacity(_ descriptor: Int32, peer: String, now: Timestamp) {
        var response = HTTPResponse.problem(
            status: 503,
            detail: "The server has \(context.configuration.maxConnections) open connections, its maximum; retry shortly."
        )
        response.headers.set("Retry-After", "1")
        let requestID = requestIDs.nextID()
        response.headers.set(RequestID.fieldName, requestID)
        let bytes = ResponseSerializer.serialize(response, isHead: false, persistence: .close, date: now.httpDate)
        let sent = bytes.withUnsafeBytes { buffer in
            send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
        }
        context.logger.debug("Connection rejected at the connection limit", ["peer": peer, "request_id": requestID])
        close(descriptor)

        var record = ExchangeRecord(startedAt: now.instant)
        record.requestID = requestID
        record.responseBytes = max(sent, 0)
        report(record.exchange(status: 503, remoteAddress: peer, finishedAt: .now))
    }

    /// Stops watching the listener for a moment after the process ran out of descriptors or
    /// memory, because the level-triggered listener would otherwise wake the loop at once again.
    func pauseAccepting(now: Timestamp) {
        stopWatchingListener()
        acceptPausedUntil = now.instant + Self.acceptPauseAfterDescriptorExhaustion
    }

    func resumeAcceptingIfDue(now: Timestamp) {
        guard let acceptPausedUntil, now.instant >= acceptPausedUntil else {
            return
        }
        self.acceptPausedUntil = nil
        guard holdsListener else {
            return
        }
        do {
            try systemCall("epoll_ctl(ADD listener)") {
                clinux_epoll_ctl(epoll, EPOLL_CTL_ADD, context.listener, CLINUX_EPOLLIN | CLINUX_EPOLLEXCLUSIVE, Self.listenerToken)
            }
            watchesListener = true
        } catch {
            context.logger.error("Could not watch the listener again", ["error": error.description])
        }
    }

    func stopWatchingListener() {
        guard watchesListener else {
            return
        }
        _ = try? systemCall("epoll_ctl(DEL listener)") {
            clinux_epoll_ctl(epoll, EPOLL_CTL_DEL, context.listener, 0, Self.listenerToken)
        }
        watchesListener = false
    }

    /// Stops accepting for good and lets go of the shared listener.
    func releaseListener() {
        stopWatchingListener()
        acceptPausedUntil = nil
        if holdsListener {
            holdsListener = false
            context.releaseListener()
        }
    }
}
