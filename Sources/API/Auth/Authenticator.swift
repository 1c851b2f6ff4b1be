import Detection
import HTTPServer
import Logging
import Synchronization

/// Checks the API key of each request against the configured keys and the route's scope, and
/// rate-limits clients that present wrong keys.
///
/// Clients send `Authorization: ApiKey <secret>` (Elastic's convention) or
/// `Authorization: Bearer <secret>` (RFC 6750). The presented secret is hashed with SHA-256 and
/// its digest compared with every key's digest in constant time, so neither the response time
/// nor the logs reveal how close a guess came. No secret or `Authorization` value is logged,
/// stored or echoed.
public final class Authenticator: Sendable {
    /// The outcome of a check: the request may go on, with the key it presented (nil when
    /// authentication is disabled or the route is open), or it is rejected with `response`.
    public enum Decision: Sendable {
        case allowed(APIKey?)
        case rejected(HTTPResponse)
    }

    /// Whether requests need a key; false only when detectd runs without keys.
    public let isEnabled: Bool
    private let keys: [APIKey]
    private let logger: Logger
    private let limiter: Mutex<FailedAuthenticationLimiter>
    private let now: @Sendable () -> ContinuousClock.Instant
    private let missingCounter = Atomic<Int>(0)
    private let failureCounter = Atomic<Int>(0)
    private let forbiddenCounter = Atomic<Int>(0)
    private let rateLimitedCounter = Atomic<Int>(0)

    /// An authenticator that requires one of `keys`, which must not be empty.
    ///
    /// - Parameters:
    ///   - maxFailures: wrong keys a client may present within `failureWindow` before it gets 429.
    ///   - now: the clock, replaceable in tests.
    public convenience init(
        keys: [APIKey],
        logger: Logger,
        maxFailures: Int = 20,
        failureWindow: Duration = .seconds(60),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        precondition(!keys.isEmpty, "an authenticator needs at least one key; use Authenticator.disabled for none")
        self.init(enabled: true, keys: keys, logger: logger, limiter: FailedAuthenticationLimiter(maxFailures: maxFailures, window: failureWindow), now: now)
    }

    /// An authenticator that lets every request through, for a detectd that serves on a
    /// loopback address without keys or that was started with `--insecure-no-auth`.
    public static func disabled(logger: Logger) -> Authenticator {
        Authenticator(enabled: false, keys: [], logger: logger, limiter: FailedAuthenticationLimiter(), now: { ContinuousClock.now })
    }

    private init(enabled: Bool, keys: [APIKey], logger: Logger, limiter: FailedAuthenticationLimiter, now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.isEnabled = enabled
        self.keys = keys
        self.logger = logger
        self.limiter = Mutex(limiter)
        self.now = now
    }

    /// Requests rejected because they carried no `Authorization` field.
    public var missingCredentialCount: Int { missingCounter.load(ordering: .relaxed) }
    /// Requests rejected because their key was wrong or their `Authorization` field malformed:
    /// the failed authentications that count towards the rate limit.
    public var failedAuthenticationCount: Int { failureCounter.load(ordering: .relaxed) }
    /// Requests with a valid key that lacks the route's scope (403).
    public var forbiddenCount: Int { forbiddenCounter.load(ordering: .relaxed) }
    /// Requests answered with 429 because their client failed too often.
    public var rateLimitedCount: Int { rateLimitedCounter.load(ordering: .relaxed) }

    /// Decides whether a request that needs `requirement` may proceed.
    ///
    /// - Parameters:
    ///   - route: the method and route pattern, for the log and the 403 detail.
    ///   - remoteAddress: the peer as "address:port"; failures are counted per address (per /64
    ///     for IPv6).
    public func check(_ requirement: AccessRequirement, route: @autoclosure () -> String, headers: HTTPFields, remoteAddress: String) -> Decision {
        guard isEnabled, requirement != .open else { return .allowed(nil) }

        let client = ClientAddress.rateLimitKey(forPeer: remoteAddress)
        let instant = now()
        if let delay = limiter.withLock({ $0.retryDelay(for: client, now: instant) }) {
            rateLimitedCounter.add(1, ordering: .relaxed)
            return .rejected(AuthenticationProblem.tooManyFailures(retryAfter: delay))
        }

        let credential: Credential
        switch Credential.parse(headers.values("Authorization")) {
        case .missing:
            missingCounter.add(1, ordering: .relaxed)
            return .rejected(AuthenticationProblem.missingKey())
        case .malformed(let reason):
            recordFailure(of: client, route: route(), reason: reason, at: instant)
            return .rejected(AuthenticationProblem.invalidKey(reason: reason))
        case .secret(let presented):
            credential = presented
        }

        guard let key = key(matching: credential.digest) else {
            recordFailure(of: client, route: route(), reason: "unknown key", at: instant)
            return .rejected(AuthenticationProblem.invalidKey(reason: "the API key is not valid"))
        }

        if case .scope(let scope) = requirement, !key.scopes.contains(scope) {
            forbiddenCounter.add(1, ordering: .relaxed)
            logger.notice("API key lacks the route's scope", ["key": key.name, "route": route(), "scope": scope.rawValue, "client": client])
            return .rejected(AuthenticationProblem.missingScope(scope, key: key.name, route: route()))
        }
        return .allowed(key)
    }

    /// Returns the key whose secret `headers` present, or nil when there is none or it is wrong.
    /// It neither counts nor logs anything: use it after `check` allowed the request.
    public func key(presentedIn headers: HTTPFields) -> APIKey? {
        guard isEnabled, case .secret(let credential) = Credential.parse(headers.values("Authorization")) else {
            return nil
        }
        return key(matching: credential.digest)
    }

    /// Compares `digest` with every key, without stopping at a match, so that the time taken
    /// does not depend on which key matched or how many bytes agreed.
    private func key(matching digest: [UInt8]) -> APIKey? {
        var match: APIKey?
        for key in keys {
            var difference: UInt8 = 0
            for index in 0..<32 {
                difference |= key.secretDigest[index] ^ digest[index]
            }
            if difference == 0 {
                match = key
            }
        }
        return match
    }

    private func recordFailure(of client: String, route: String, reason: String, at instant: ContinuousClock.Instant) {
        failureCounter.add(1, ordering: .relaxed)
        let blocked = limiter.withLock { $0.recordFailure(of: client, now: instant) }
        logger.notice("authentication failed", ["client": client, "route": route, "reason": reason])
        if blocked {
            let window = limiter.withLock { $0.window }
            logger.warning("too many failed authentications; client blocked", ["client": client, "window_seconds": "\(window.components.seconds)"])
        }
    }
}

/// The secret of an `Authorization` field, kept only as its SHA-256 digest.
struct Credential {
    enum Parsed {
        case missing
        /// Why the field is unusable, in words that never quote the field's value.
        case malformed(String)
        case secret(Credential)
    }

    let digest: [UInt8]

    /// Parses the `Authorization` field lines (RFC 9110, section 11.6.2): one line whose
    /// scheme is `ApiKey` or `Bearer`, case-insensitive, followed by the secret.
    static func parse(_ lines: [String]) -> Parsed {
        guard let line = lines.first else { return .missing }
        guard lines.count == 1 else {
            return .malformed("the request has more than one Authorization field")
        }
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let trimmed = line.drop(while: isWhitespace)
        let schemeEnd = trimmed.firstIndex(where: isWhitespace) ?? trimmed.endIndex
        let scheme = trimmed[..<schemeEnd]
        guard !scheme.isEmpty else {
            return .malformed("the Authorization field is empty")
        }
        guard ["apikey", "bearer"].contains(scheme.lowercased()) else {
            return .malformed("the Authorization scheme is not ApiKey or Bearer")
        }
        var secret = trimmed[schemeEnd...].drop(while: isWhitespace)
        while let last = secret.last, isWhitespace(last) {
            secret = secret.dropLast()
        }
        guard !secret.isEmpty else {
            return .malformed("the Authorization field has no secret after the scheme")
        }
        return .secret(Credential(digest: SHA256.hash(secret.utf8)))
    }
}
