import CLinux
import Glibc
import Logging
import Synchronization

/// One thread's epoll loop: it accepts connections from the shared listener, reads and writes
/// their sockets, and drives each connection's `HTTPConnectionStateMachine`.
///
/// `@unchecked Sendable` because `connections` and the epoll state are used only on the loop's
/// own thread; other threads reach the loop only through `mailbox` and the eventfd.
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

    private static let listenerToken: UInt64 = 0
    private static let wakeToken: UInt64 = 1
    static let readBufferBytes = 64 * 1024
    /// Reads per readiness event, so that one fast client cannot starve the others.
    static let maxReadsPerEvent = 4
    private static let acceptPauseAfterDescriptorExhaustion: Duration = .milliseconds(100)

    let context: ServerContext
    let epoll: Int32
    private let wake: Int32
    private let mailbox = Mutex(Mailbox())

    var connections: [UInt64: Connection] = [:]
    private var nextConnectionID: UInt64 = 2
    var earliestDeadline: ContinuousClock.Instant?
    var stopDeadline: ContinuousClock.Instant?
    private var acceptPausedUntil: ContinuousClock.Instant?
    private var watchesListener = true
    private var holdsListener = true
    var readBuffer = [UInt8](repeating: 0, count: EventLoop.readBufferBytes)
    private var cachedDate: (second: Int, text: String) = (0, "")

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
    private func signalWake() {
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
            let timeout = epollTimeout(now: ContinuousClock.now)
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
                if ContinuousClock.now >= stopDeadline {
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

    private func drainMailbox(now: Timestamp) {
        var counter: UInt64 = 0
        _ = read(wake, &counter, MemoryLayout<UInt64>.size)
        let (completions, stopRequested) = mailbox.withLock { mailbox in
            let completions = mailbox.completions
            mailbox.completions.removeAll()
            return (completions, mailbox.stopRequested)
        }

        for (id, response) in completions {
            // The connection may have closed while its handler ran; its response is then dropped.
            guard let connection = connections[id] else {
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
    private func beginStop(now: Timestamp) {
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

    private func finish() {
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

    private func epollTimeout(now: ContinuousClock.Instant) -> Int32 {
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

    private func timestamp() -> Timestamp {
        let second = Int(time(nil))
        if second != cachedDate.second {
            cachedDate = (second, HTTPDate.format(secondsSinceEpoch: second))
        }
        return Timestamp(instant: .now, httpDate: cachedDate.text)
    }

    // MARK: Accepting

    private func acceptConnections(now: Timestamp) {
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

    private func register(_ descriptor: Int32, peer: String, now: Timestamp) {
        var noDelay: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))

        let id = nextConnectionID
        nextConnectionID += 1
        let machine = HTTPConnectionStateMachine(
            configuration: context.configuration,
            routes: context.routes,
            remoteAddress: peer,
            now: now
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
    private func rejectOverCapacity(_ descriptor: Int32, peer: String, now: Timestamp) {
        var response = HTTPResponse.problem(
            status: 503,
            detail: "The server has \(context.configuration.maxConnections) open connections, its maximum; retry shortly."
        )
        response.headers.set("Retry-After", "1")
        let bytes = ResponseSerializer.serialize(response, isHead: false, persistence: .close, date: now.httpDate)
        _ = bytes.withUnsafeBytes { buffer in
            send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
        }
        context.logger.debug("Connection rejected at the connection limit", ["peer": peer])
        close(descriptor)
    }

    /// Stops watching the listener for a moment after the process ran out of descriptors or
    /// memory, because the level-triggered listener would otherwise wake the loop at once again.
    private func pauseAccepting(now: Timestamp) {
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

    private func stopWatchingListener() {
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
