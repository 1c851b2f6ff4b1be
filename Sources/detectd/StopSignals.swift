import CLinux
import Foundation
import HTTPServer
import Logging
import Synchronization

/// The handling of SIGINT and SIGTERM: either stops the HTTP server, whenever it arrives after
/// `install`.
///
/// C handlers write each signal to a pipe that a watcher thread reads. A signal that arrives
/// while detectd is still starting therefore waits in the pipe, and the server stops as soon as
/// it runs. The handlers also make detectd stop as PID 1 in a container, where the kernel drops
/// signals that are left at their default action.
final class StopSignals: Sendable {
    private struct State {
        var server: HTTPServer?
        /// The signal that requested the stop, once one arrived.
        var requestedBy: String?
    }

    private let state = Mutex(State())
    private let logger: Logger

    private init(logger: Logger) {
        self.logger = logger
    }

    /// Installs the handlers and starts the thread that watches for signals. Returns nil, with
    /// `errno` set, when the pipe or a handler cannot be set up.
    static func install(logger: Logger) -> StopSignals? {
        let readEnd = clinux_install_stop_signal_pipe()
        guard readEnd >= 0 else {
            return nil
        }
        let signals = StopSignals(logger: logger)
        Thread.detachNewThread {
            signals.watch(readEnd)
        }
        return signals
    }

    /// Hands over the started server. A stop requested before this call stops it at once.
    func serve(_ server: HTTPServer) {
        let requestedBy = state.withLock { state in
            state.server = server
            return state.requestedBy
        }
        if let requestedBy {
            logger.info("stopping", ["signal": requestedBy, "note": "the signal arrived during start-up"])
            server.shutdown()
        }
    }

    private func watch(_ readEnd: Int32) {
        while true {
            var byte: UInt8 = 0
            let count = read(readEnd, &byte, 1)
            if count < 0 && errno == EINTR {
                continue
            }
            guard count == 1 else {
                logger.error("reading the stop signal pipe failed; SIGINT and SIGTERM no longer stop detectd", ["errno": String(errno)])
                return
            }
            let name = Int32(byte) == SIGINT ? "SIGINT" : "SIGTERM"
            let (server, isFirst) = state.withLock { state -> (HTTPServer?, Bool) in
                let isFirst = state.requestedBy == nil
                state.requestedBy = state.requestedBy ?? name
                return (state.server, isFirst)
            }
            guard isFirst else {
                logger.info("already stopping", ["signal": name])
                continue
            }
            if let server {
                logger.info("stopping", ["signal": name])
                server.shutdown()
            } else {
                logger.info("stop requested during start-up; stopping once the server runs", ["signal": name])
            }
        }
    }
}
