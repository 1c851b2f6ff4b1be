import Foundation
import HTTPServer
import Synchronization

/// Collects the exchanges that a test server reports through `onResponse`.
final class ExchangeRecorder: Sendable {
    private let exchanges = Mutex<[HTTPExchange]>([])

    var handler: @Sendable (HTTPExchange) -> Void {
        { exchange in self.exchanges.withLock { $0.append(exchange) } }
    }

    /// Waits up to 5 seconds for `count` exchanges, because `onResponse` runs after the bytes
    /// are handed to the kernel and so may trail the client reading them.
    func waitFor(_ count: Int) async throws -> [HTTPExchange] {
        for _ in 0..<500 {
            let current = exchanges.withLock { $0 }
            if current.count >= count {
                return current
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return exchanges.withLock { $0 }
    }
}
