import CLinux
import Glibc
import Logging

/// Socket I/O of the loop's connections: reading, writing, carrying out the state machine's
/// actions, and timers.
extension EventLoop {
    func handleEvents(_ events: UInt32, on connection: Connection, now: Timestamp) {
        if events & CLINUX_EPOLLERR != 0 {
            context.logger.debug("Connection failed", logFields(connection))
            closeConnection(connection)
            return
        }
        if events & (CLINUX_EPOLLIN | CLINUX_EPOLLRDHUP | CLINUX_EPOLLHUP) != 0 {
            if connection.machine.wantsInput {
                readInput(connection, now: now)
            } else if events & CLINUX_EPOLLHUP != 0 {
                // Both directions are gone, so the pending response can never be delivered.
                context.logger.debug("Peer closed the connection before the response", logFields(connection))
                closeConnection(connection)
                return
            }
        }
        if events & CLINUX_EPOLLOUT != 0 {
            flush(connection, now: now)
        }
        settle(connection)
    }

    private func readInput(_ connection: Connection, now: Timestamp) {
        for _ in 0..<Self.maxReadsPerEvent {
            guard !connection.isClosed, connection.machine.wantsInput else {
                return
            }

            let count: Int
            do {
                let result = readBuffer.withUnsafeMutableBytes { buffer in
                    Result { () throws(SystemCallError) in
                        try systemCall("read") { read(connection.descriptor, buffer.baseAddress, buffer.count) }
                    }
                }
                count = try result.get()
            } catch {
                if error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                    return
                }
                context.logger.debug("Reading from the connection failed", logFields(connection, ["error": error.description]))
                perform(connection.machine.receiveEndOfInput(now: now), on: connection, now: now)
                flush(connection, now: now)
                return
            }

            if count == 0 {
                perform(connection.machine.receiveEndOfInput(now: now), on: connection, now: now)
            } else {
                perform(connection.machine.receive(readBuffer[..<count], now: now), on: connection, now: now)
            }
            flush(connection, now: now)
            if count < readBuffer.count {
                return
            }
        }
    }

    /// Sends as much pending output as the socket takes; the rest waits for EPOLLOUT.
    func flush(_ connection: Connection, now: Timestamp) {
        while !connection.isClosed && !connection.machine.pendingOutput.isEmpty {
            let sent: Int
            do {
                // The slice is used inside this expression only, so that `didSend` below finds the
                // output buffer uniquely referenced and does not copy it.
                let result = connection.machine.pendingOutput.withUnsafeBytes { buffer in
                    Result { () throws(SystemCallError) in
                        try systemCall("send") {
                            send(connection.descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                        }
                    }
                }
                sent = try result.get()
            } catch {
                if error.errno == EAGAIN || error.errno == EWOULDBLOCK {
                    return
                }
                context.logger.debug("Sending to the connection failed", logFields(connection, ["error": error.description]))
                closeConnection(connection)
                return
            }
            perform(connection.machine.didSend(sent, now: now), on: connection, now: now)
        }
    }

    func perform(_ actions: [HTTPConnectionStateMachine.Action], on connection: Connection, now: Timestamp) {
        for action in actions {
            guard !connection.isClosed else {
                return
            }
            switch action {
            case .runHandler(let request, let handler):
                runHandler(handler, for: request, on: connection, now: now)
            case .shutdownOutput:
                _ = Glibc.shutdown(connection.descriptor, Int32(SHUT_WR))
            case .close:
                closeConnection(connection)
            case .log(let event):
                log(event, on: connection)
            case .exchangeCompleted(let exchange):
                report(exchange)
            }
        }
    }

    func report(_ exchange: HTTPExchange) {
        context.configuration.onResponse?(exchange)
    }

    /// Returns `extra` with the peer and, once the current request has one, its request id.
    func logFields(_ connection: Connection, _ extra: [String: String] = [:]) -> [String: String] {
        var fields = extra
        fields["peer"] = connection.peer
        if let requestID = connection.machine.currentRequestID {
            fields["request_id"] = requestID
        }
        return fields
    }

    private func log(_ event: HTTPConnectionStateMachine.Event, on connection: Connection) {
        switch event {
        case .rejected(let error):
            context.logger.debug("Request rejected", logFields(connection, ["status": String(error.status), "reason": error.detail]))
        case .timedOut(let phase):
            context.logger.debug("Connection timed out", logFields(connection, ["phase": phase]))
        case .closedMidRequest(let phase):
            context.logger.debug("Peer closed the connection mid-request", logFields(connection, ["phase": phase]))
        }
    }

    /// Brings the epoll interest and the timer in line with the state machine after an event.
    func settle(_ connection: Connection) {
        guard !connection.isClosed else {
            return
        }
        if connection.machine.isClosed {
            closeConnection(connection)
            return
        }

        var interest: UInt32 = 0
        if connection.machine.wantsInput {
            interest |= CLINUX_EPOLLIN | CLINUX_EPOLLRDHUP
        }
        if !connection.machine.pendingOutput.isEmpty {
            interest |= CLINUX_EPOLLOUT
        }
        if interest != connection.interest {
            do {
                try systemCall("epoll_ctl(MOD connection)") {
                    clinux_epoll_ctl(epoll, EPOLL_CTL_MOD, connection.descriptor, interest, connection.id)
                }
                connection.interest = interest
            } catch {
                context.logger.error("Could not change the events watched on a connection", logFields(connection, ["error": error.description]))
                closeConnection(connection)
                return
            }
        }
        noteDeadline(of: connection)
    }

    func noteDeadline(of connection: Connection) {
        guard let deadline = connection.machine.nextDeadline else {
            return
        }
        earliestDeadline = min(earliestDeadline ?? deadline, deadline)
    }

    func closeConnection(_ connection: Connection) {
        guard !connection.isClosed else {
            return
        }
        connection.isClosed = true
        if let record = connection.machine.abandonExchange() {
            if let status = record.status {
                report(record.exchange(status: status, remoteAddress: connection.peer, finishedAt: .now))
            } else if connection.machine.isRunningHandler {
                abandonedExchanges[connection.id] = (record, connection.peer)
            }
        }
        // Closing the only descriptor of the socket also removes it from the epoll set.
        close(connection.descriptor)
        connections[connection.id] = nil
        context.openConnections.subtract(1, ordering: .relaxed)
    }

    /// Runs the connections' timeouts once the earliest known deadline has passed.
    func runTimers(now: Timestamp) {
        resumeAcceptingIfDue(now: now)
        guard let earliestDeadline, now.instant >= earliestDeadline else {
            return
        }
        self.earliestDeadline = nil
        for connection in Array(connections.values) {
            perform(connection.machine.checkTimeouts(now: now), on: connection, now: now)
            flush(connection, now: now)
            settle(connection)
        }
    }
}
