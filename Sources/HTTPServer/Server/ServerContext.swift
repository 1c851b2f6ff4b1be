import Glibc
import Logging
import Synchronization

/// The state that every event loop of one server shares: the configuration, the frozen routes, the logger,
/// the listening socket and the count of open connections.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let routes: RouteTable
    let logger: Logger
    let listener: Int32
    let openConnections = Atomic<Int>(0)
    /// Loops that still watch the listener; the last one to let go closes it, so that no loop
    /// calls `accept4` on a closed descriptor.
    private let listenerUsers: Atomic<Int>

    init(configuration: HTTPServerConfiguration, routes: RouteTable, logger: Logger, listener: Int32, loopCount: Int) {
        self.configuration = configuration
        self.routes = routes
        self.logger = logger
        self.listener = listener
        self.listenerUsers = Atomic(loopCount)
    }

    func releaseListener() {
        if listenerUsers.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            close(listener)
        }
    }
}
