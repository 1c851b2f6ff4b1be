import Foundation
import HTTPServer
import Logging
import Synchronization
import Testing

@testable import API

@Suite("Failed authentication limiter")
struct AuthRateLimitTests {
    let start = ContinuousClock.now

    @Test("20 failures block the client")
    func blocksAtLimit() {
        var limiter = FailedAuthenticationLimiter(maxFailures: 20, window: .seconds(60))
        for second in 0..<19 {
            #expect(limiter.recordFailure(of: "192.0.2.7", now: start + .seconds(second)) == false)
        }
        #expect(limiter.retryDelay(for: "192.0.2.7", now: start + .seconds(19)) == nil)
        #expect(limiter.recordFailure(of: "192.0.2.7", now: start + .seconds(19)) == true)
        #expect(limiter.retryDelay(for: "192.0.2.7", now: start + .seconds(20)) == .seconds(40))
        #expect(limiter.retryDelay(for: "192.0.2.8", now: start + .seconds(20)) == nil)
    }

    @Test("block ends when the oldest failure expires")
    func slidingWindow() {
        var limiter = FailedAuthenticationLimiter(maxFailures: 3, window: .seconds(60))
        _ = limiter.recordFailure(of: "c", now: start)
        _ = limiter.recordFailure(of: "c", now: start + .seconds(30))
        _ = limiter.recordFailure(of: "c", now: start + .seconds(31))
        #expect(limiter.retryDelay(for: "c", now: start + .seconds(59)) == .seconds(1))
        #expect(limiter.retryDelay(for: "c", now: start + .seconds(60)) == nil)
        #expect(limiter.recordFailure(of: "c", now: start + .seconds(61)) == true)
        #expect(limiter.retryDelay(for: "c", now: start + .seconds(61)) == .seconds(29))
    }

    @Test("failures spread over minutes never block")
    func slowFailures() {
        var limiter = FailedAuthenticationLimiter(maxFailures: 20, window: .seconds(60))
        for index in 0..<100 {
            #expect(limiter.recordFailure(of: "c", now: start + .seconds(4 * index)) == false)
        }
        #expect(limiter.retryDelay(for: "c", now: start + .seconds(400)) == nil)
    }

    @Test("tracked clients stay bounded")
    func boundedClients() {
        var limiter = FailedAuthenticationLimiter(maxFailures: 20, window: .seconds(60), maxTrackedClients: 100)
        for index in 0..<1000 {
            _ = limiter.recordFailure(of: "client-\(index)", now: start + .milliseconds(index))
        }
        #expect(limiter.trackedClientCount <= 100)
        #expect(limiter.retryDelay(for: "client-999", now: start + .seconds(1)) == nil)
    }

    @Test("rate limit key per address")
    func rateLimitKeys() {
        #expect(ClientAddress.rateLimitKey(forPeer: "192.0.2.7:51234") == "192.0.2.7")
        #expect(ClientAddress.rateLimitKey(forPeer: "[2001:db8:1:2:3:4:5:6]:443") == "2001:db8:1:2::/64")
        #expect(ClientAddress.rateLimitKey(forPeer: "[2001:db8:1:2:ffff::1]:443") == "2001:db8:1:2::/64")
        #expect(ClientAddress.rateLimitKey(forPeer: "[::ffff:192.0.2.7]:80") == "192.0.2.7")
        #expect(ClientAddress.rateLimitKey(forPeer: "[::1]:80") == "::/64")
    }

    @Test("21st wrong key gets 429 with Retry-After")
    func httpRateLimit() async throws {
        let service = try await TestService(keys: TestKeys.all)
        defer { service.stop() }
        let wrong = ["Authorization": "Bearer detectd_guess-that-is-wrong-0000000000"]
        for attempt in 1...20 {
            let response = try await service.client.request("GET", "/alerts", headers: wrong)
            #expect(response.status == 401, "attempt \(attempt)")
        }
        let blocked = try await service.client.request("GET", "/alerts", headers: wrong)
        #expect(blocked.status == 429)
        let retryAfter = try #require(blocked.header("Retry-After").flatMap { Int($0) })
        #expect((1...60).contains(retryAfter))
        #expect(try blocked.json()["retry_after"] as? Int == retryAfter)

        let rightKeyWhileBlocked = try await service.client.request("GET", "/alerts", headers: TestKeys.authorization("admin"))
        #expect(rightKeyWhileBlocked.status == 429)
        #expect(try await service.client.request("GET", "/health").status == 200)

        let authenticator = service.service.authenticator
        #expect(authenticator.failedAuthenticationCount == 20)
        #expect(authenticator.rateLimitedCount == 2)
        #expect(service.logSink.lines.contains { $0.contains("client blocked") })
    }

    @Test("missing keys do not count as failures")
    func missingKeysNotCounted() async throws {
        let service = try await TestService(keys: TestKeys.all, maxAuthenticationFailures: 2)
        defer { service.stop() }
        for _ in 1...5 {
            #expect(try await service.client.request("GET", "/rule").status == 401)
        }
        #expect(try await service.client.request("GET", "/rule", headers: TestKeys.authorization("only-read")).status == 200)
        #expect(service.service.authenticator.missingCredentialCount == 5)
        #expect(service.service.authenticator.failedAuthenticationCount == 0)
    }

    @Test("key lookup with an injected clock")
    func injectedClock() {
        let clock = ManualInstant(start)
        let authenticator = Authenticator(
            keys: [TestKeys.key("a", [.read])], logger: Logger(label: "test", sink: LogSink(capturing: ())), maxFailures: 2, now: { clock.now })
        let wrong: HTTPFields = ["Authorization": "ApiKey wrong-secret"]
        let right: HTTPFields = ["Authorization": "ApiKey \(TestKeys.secret("a"))"]
        #expect(status(authenticator.check(.scope(.read), route: "GET /rule", headers: wrong, remoteAddress: "192.0.2.1:1")) == 401)
        #expect(status(authenticator.check(.scope(.read), route: "GET /rule", headers: wrong, remoteAddress: "192.0.2.1:2")) == 401)
        #expect(status(authenticator.check(.scope(.read), route: "GET /rule", headers: right, remoteAddress: "192.0.2.1:3")) == 429)
        #expect(status(authenticator.check(.scope(.read), route: "GET /rule", headers: right, remoteAddress: "192.0.2.2:3")) == 200)
        clock.advance(.seconds(60))
        #expect(status(authenticator.check(.scope(.read), route: "GET /rule", headers: right, remoteAddress: "192.0.2.1:4")) == 200)
    }

    private func status(_ decision: Authenticator.Decision) -> Int {
        switch decision {
        case .allowed: 200
        case .rejected(let response): response.status
        }
    }
}

/// A clock the test moves by hand.
final class ManualInstant: Sendable {
    private let current: Mutex<ContinuousClock.Instant>
    init(_ start: ContinuousClock.Instant) { current = Mutex(start) }
    var now: ContinuousClock.Instant { current.withLock { $0 } }
    func advance(_ duration: Duration) { current.withLock { $0 += duration } }
}
