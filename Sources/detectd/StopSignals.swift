import Dispatch
import Foundation
import HTTPServer
import Logging

/// Stops `server` on SIGINT or SIGTERM, also when detectd runs as PID 1 in a container, where
/// the kernel applies no default action to signals without a handler.
///
/// Signals arrive on a Dispatch source instead of an async-signal handler, so the stop code may
/// lock and log. Their default actions are ignored first so that only the source sees them.
/// This function is not main-actor isolated: the handlers run on a Dispatch queue.
func installStopSignalHandlers(server: HTTPServer, logger: Logger) -> [any DispatchSourceSignal] {
    let queue = DispatchQueue(label: "detectd.signals")
    var sources: [any DispatchSourceSignal] = []
    for (signalNumber, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
        source.setEventHandler {
            logger.info("stopping", ["signal": name])
            server.shutdown()
        }
        source.resume()
        sources.append(source)
    }
    return sources
}
