import CLinux
import Glibc
import Logging
import Synchronization

/// One thread's epoll loop: it accepts connections from the shared listener, reads and writes
/// their sockets, and drives each connection's `HTTPConnectionStateMachine`.
///
/// `@unchecked Sendable` because `connections` and the epoll state are used only on the loop's
/// own thread. Other threads reach the loop only through `mailbox` and the eventfd.
final class EventLoop: @unchecked Sendable {
    private struct Mailbox {
        var completions: [(connection: UInt64, response: HTTPResponse)] = []
        var stopRequested = false
        /// False once the loop has exited and closed its eventfd, which must then not be written.
        var isRunning = true
    }

    final class Connection {
        let id: UInt64
        let descriptor: Int32
        let peer: String
        var machine: HTTPConnectionStateMachine
        var interest: UInt32
        var isClosed = false

        init(id: UInt64, descriptor: Int32, peer: String, machine: HTTPConnectionStateMachine, interest: UInt32) {
            self.id = id
            self.descriptor = descriptor
            self.peer = peer
            self.machine = machine
            self.interest = interest
        }
    }

    static let listenerToken: UInt64 = 0
    static let wakeToken: UInt64 = 1
    static let readBufferBytes = 64 * 1024
    /// Reads per readiness event, so that one fast client cannot starve the others.
    static let maxReadsPerEvent = 4
    static let acceptPauseAfterDescriptorExhaustion: Duration = .milliseconds(100)

    let context: ServerContext
    let epoll: Int32
    let wake: Int32
    private let mailbox = Mutex(Mailbox())

    var connections: [UInt64: Connection] = [:]
    var nextConnectionID: UInt64 = 2
    var earliestDeadline: MonotonicInstant?
    var stopDeadline: MonotonicInstant?
    var acceptPausedUntil: MonotonicInstant?
    var watchesListener = true
    var holdsListener = true
    var readBuffer = [UInt8](repeating: 0, count: EventLoop.readBufferBytes)
    var cachedDate: (second: Int, text: String) = (0, "")
    /// Seeds the connections' request-id generators and gives ids to 503s at the connection limit.
    var requestIDs = RequestIDGenerator()
    /// Requests whose connection closed while their handler ran, keyed by connection id; the
    /// handler's response completes their `HTTPExchange`.
    var abandonedExchanges: [UInt64: (record: ExchangeRecord, peer: String)] = [:]

    init(context: ServerContext) throws(SystemCallError) {
        self.context = context
        self.epoll = try systemCall("epoll_create1") { clinux_epoll_create() }
        do {
            self.wake = try systemCall("eventfd") { clinux_eventfd() }
        } catch {
            close(epoll)
            throw error
        }
        do {
            try systemCall("epoll_ctl(ADD eventfd)") {
                clinux_epoll_ctl(epoll, EPOLL_CTL_ADD, wake, CLINUX_EPOLLIN, Self.wakeToken)
            }
            // EPOLLEXCLUSIVE wakes one of the loops waiting on the shared listener, not all of them.
            try systemCall("epoll_ctl(ADD listener)") {
                clinux_epoll_ctl(epoll, EPOLL_CTL_ADD, context.listener, CLINUX_EPOLLIN | CLINUX_EPOLLEXCLUSIVE, Self.listenerToken)
            }
        } catch {
            close(wake)
            close(epoll)
            throw error
        }
    }

    // MARK: Called from other threads

    /// Hands a handler's response to the loop that owns the connection.
    func complete(connection: UInt64, response: HTTPResponse) {
        mailbox.withLock { mailbox in
            guard mailbox.isRunning else { return }
            mailbox.completions.append((connection, response))
            signalWake()
        }
    }

    func requestStop() {
        mailbox.withLock { mailbox in
            guard mailbox.isRunning else { return }
            mailbox.stopRequested = true
            signalWake()
        }
    }

    /// Writes to the eventfd; the caller holds the mailbox lock, so the descriptor is still open.
    func signalWake() {
        var one: UInt64 = 1
        // EAGAIN means the counter is already non-zero, so the loop will wake anyway.
        _ = try? systemCall("write(eventfd)") { write(wake, &one, MemoryLayout<UInt64>.size) }
    }

    // MARK: The loop

    /// Runs until a requested stop has closed every connection or the grace period has passed.
    func run() {
        var tokens = [UInt64](repeating: 0, count: 256)
        var events = [UInt32](repeating: 0, count: 256)

        while true {
            let timeout = epollTimeout(now: MonotonicInstant.now)
            let count = clinux_epoll_wait(epoll, &tokens, &events, Int32(tokens.count), timeout)
            if count < 0 {
                let code = errno
                if code == EINTR {
                    continue
                }
                context.logger.error("epoll_wait failed", ["errno": String(code), "error": SystemCallError(call: "epoll_wait", errno: code).description])
                break
            }

            let now = timestamp()
            for index in 0..<Int(count) {
                switch tokens[index] {
                case Self.listenerToken:
                    acceptConnections(now: now)
                case Self.wakeToken:
                    drainMailbox(now: now)
                default:
                    if let connection = connections[tokens[index]] {
                        handleEvents(events[index], on: connection, now: now)
                    }
                }
            }

            runTimers(now: timestamp())
            if let stopDeadline {
                if connections.isEmpty {
                    break
                }
                if MonotonicInstant.now >= stopDeadline {
                    context.logger.info("HTTP server grace period ended", ["closed_connections": String(connections.count)])
                    for connection in Array(connections.values) {
                        closeConnection(connection)
                    }
                    break
                }
            }
        }
        finish()
    }

    func drainMailbox(now: Timestamp) {
        var counter: UInt64 = 0
        _ = read(wake, &counter, MemoryLayout<UInt64>.size)
        let (completions, stopRequested) = mailbox.withLock { mailbox in
            let completions = mailbox.completions
            mailbox.completions.removeAll()
            return (completions, mailbox.stopRequested)
        }

        for (id, response) in completions {
            // The connection may have closed while its handler ran; its response is then dropped
            // and reported as written with no bytes.
            guard let connection = connections[id] else {
                if let (record, peer) = abandonedExchanges.removeValue(forKey: id) {
                    report(record.exchange(status: response.status, remoteAddress: peer, finishedAt: now.instant))
                }
                continue
            }
            perform(connection.machine.handlerCompleted(response, now: now), on: connection, now: now)
            flush(connection, now: now)
            settle(connection)
        }

        if stopRequested && stopDeadline == nil {
            beginStop(now: now)
        }
    }

    /// Stops accepting, closes idle connections and gives the busy ones the grace period.
    func beginStop(now: Timestamp) {
        stopDeadline = now.instant + context.configuration.shutdownGracePeriod
        releaseListener()
        for connection in Array(connections.values) {
            perform(connection.machine.beginShutdown(now: now), on: connection, now: now)
            flush(connection, now: now)
            settle(connection)
        }
    }

    /// Closes the descriptors of a loop that never ran, leaving the listener to the caller.
    func discard() {
        mailbox.withLock { mailbox in
            mailbox.isRunning = false
            close(wake)
        }
        close(epoll)
    }

    func finish() {
        releaseListener()
        for connection in Array(connections.values) {
            closeConnection(connection)
        }
        mailbox.withLock { mailbox in
            mailbox.isRunning = false
            close(wake)
        }
        close(epoll)
    }

    func epollTimeout(now: MonotonicInstant) -> Int32 {
        let deadlines = [earliestDeadline, stopDeadline, acceptPausedUntil].compactMap { $0 }
        guard let nearest = deadlines.min() else {
            return -1
        }
        let remaining = now.duration(to: nearest)
        if remaining <= .zero {
            return 0
        }
        // Round up, so the loop does not wake a moment before the deadline and spin.
        let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
        return Int32(min(milliseconds, 60_000))
    }

    func timestamp() -> Timestamp {
        let second = Int(time(nil))
        if second != cachedDate.second {
            cachedDate = (second, HTTPDate.format(secondsSinceEpoch: second))
        }
        return Timestamp(instant: .now, httpDate: cachedDate.text)
    }
}
