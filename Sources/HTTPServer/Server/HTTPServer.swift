import Dispatch
import Foundation
import Glibc
import Logging
import Synchronization

/// An HTTP/1.1 server on non-blocking sockets: one epoll event loop per thread, all accepting from
/// one listening socket, with handlers run as Swift tasks.
public final class HTTPServer: Sendable {
    private enum State {
        case idle
        case running([EventLoop], ServerContext)
        /// The context is kept so that `openConnectionCount` follows the connections that drain.
        case stopping(ServerContext?)
    }

    private let configuration: HTTPServerConfiguration
    private let routes: RouteTable
    private let logger: Logger
    private let state = Mutex(State.idle)
    /// Entered once per loop thread and left when the thread ends; `wait()` waits on it.
    private let runningLoops = DispatchGroup()

    /// Creates a server; `router` is frozen here, so routes added to it later are not served.
    public init(configuration: HTTPServerConfiguration, router: Router, logger: Logger) {
        self.configuration = configuration
        self.routes = RouteTable(router)
        self.logger = logger
    }

    /// Binds and listens, then starts the event-loop threads. Returns the bound port, which is
    /// the ephemeral port chosen by the kernel when the configured port is 0.
    public func start() throws(HTTPServerError) -> Int {
        // Writes to a closed socket must fail with EPIPE instead of ending the process. Every
        // `send` also passes MSG_NOSIGNAL; this covers any other write to a socket.
        signal(SIGPIPE, SIG_IGN)

        let (loops, port) = try state.withLock { state throws(HTTPServerError) -> ([EventLoop], Int) in
            guard case .idle = state else {
                throw .alreadyStarted
            }
            let (loops, context, port) = try makeLoops()
            state = .running(loops, context)
            return (loops, port)
        }

        let remaining = Atomic<Int>(loops.count)
        for (index, loop) in loops.enumerated() {
            runningLoops.enter()
            let thread = Thread { [logger, runningLoops] in
                loop.run()
                if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                    logger.info("HTTP server stopped")
                }
                runningLoops.leave()
            }
            thread.name = "http-loop-\(index)"
            thread.start()
        }

        logger.info(
            "HTTP server started",
            ["address": "\(configuration.host):\(port)", "event_loops": String(loops.count)]
        )
        return port
    }

    /// Stops accepting connections, closes idle ones, and lets in-flight requests finish within
    /// the grace period before closing the rest. It returns at once; `wait()` blocks until the
    /// loops have stopped. Safe to call from any thread, and more than once.
    public func shutdown() {
        let loops = state.withLock { state -> [EventLoop] in
            switch state {
            case .running(let loops, let context):
                state = .stopping(context)
                return loops
            case .idle:
                state = .stopping(nil)
                return []
            case .stopping:
                return []
            }
        }
        guard !loops.isEmpty else {
            return
        }

        logger.info("HTTP server stopping", ["grace_period": configuration.shutdownGracePeriod.description])
        for loop in loops {
            loop.requestStop()
        }
    }

    /// Connections open across all event loops, counting those still draining after `shutdown()`.
    public var openConnectionCount: Int {
        state.withLock { state in
            switch state {
            case .running(_, let context), .stopping(let context?):
                context.openConnections.load(ordering: .relaxed)
            case .idle, .stopping(nil):
                0
            }
        }
    }

    /// Blocks until every event loop has stopped; returns at once when the server never started.
    public func wait() {
        runningLoops.wait()
    }

    /// Opens the listener and creates the loops, closing what was opened when a step fails.
    private func makeLoops() throws(HTTPServerError) -> ([EventLoop], ServerContext, Int) {
        let (listener, port) = try ListeningSocket.open(host: configuration.host, port: configuration.port)
        let loopCount = max(1, configuration.loopCount)
        let context = ServerContext(
            configuration: configuration,
            routes: routes,
            logger: logger,
            listener: listener,
            loopCount: loopCount
        )

        var loops: [EventLoop] = []
        for _ in 0..<loopCount {
            do {
                loops.append(try EventLoop(context: context))
            } catch {
                for loop in loops {
                    loop.discard()
                }
                close(listener)
                throw .systemCallFailed(call: error.call, errno: error.errno, address: "\(configuration.host):\(port)")
            }
        }
        return (loops, context, port)
    }
}
