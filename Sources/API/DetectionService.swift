import Detection
import Foundation
import HTTPServer
import Logging
import Storage
import Synchronization

/// The REST resources of detectd: evaluates posted events against the compiled rule and the
/// current exception set, and serves alerts and exceptions from the database.
public final class DetectionService: Sendable {
    let rule: CompiledRule
    let database: Database
    let logger: Logger
    let detectors: DetectorPool
    /// The compiled exception set, replaced as a whole after every change so that a request
    /// evaluates against one consistent snapshot without querying SQLite.
    let exceptionSnapshot: Mutex<CompiledExceptions>
    let limits: EventDecoderLimits
    /// Checks each request's API key against its route's scope.
    public let authenticator: Authenticator
    public let metrics: ServiceMetrics
    /// The access log, or nil when `--access-log` is off.
    let accessLog: AccessLog?

    /// - Parameter authenticator: nil serves every route without a key; detectd's start-up
    ///   allows that only on a loopback address or with `--insecure-no-auth`.
    public init(
        rule: CompiledRule,
        database: Database,
        logger: Logger,
        limits: EventDecoderLimits = .init(),
        authenticator: Authenticator? = nil,
        metrics: ServiceMetrics = ServiceMetrics(),
        accessLog: Bool = false
    ) async throws {
        self.rule = rule
        self.database = database
        self.logger = logger
        self.limits = limits
        self.authenticator = authenticator ?? .disabled(logger: logger)
        self.detectors = DetectorPool(limits: limits)
        self.exceptionSnapshot = Mutex(.empty)
        self.metrics = metrics
        self.accessLog = accessLog ? AccessLog(logger: logger) : nil
        try await reloadExceptions()
        registerStateMetrics()
    }

    /// Builds the route table. The server freezes it when it starts. Every handler first
    /// checks the request's API key against the route's scope.
    public func makeRouter() -> Router {
        var router = Router()
        for route in routes {
            let handler = route.handler
            let requirement = route.scope.map(AccessRequirement.scope) ?? .open
            let name = "\(route.method.rawValue) \(route.path)"
            let pattern = route.path
            if let immediate = route.immediate {
                router.addImmediate(route.method, route.path) { [self] request in
                    let decision = authenticator.check(requirement, route: name, headers: request.headers, remoteAddress: request.remoteAddress)
                    if case .rejected(let response) = decision {
                        return response
                    }
                    return LogContext.$requestID.withValue(request.requestID) {
                        do {
                            return try immediate(request)
                        } catch {
                            return problemResponse(for: error, request: request)
                        }
                    }
                }
                continue
            }
            router.add(route.method, route.path) { [self] request in
                let decision = authenticator.check(requirement, route: name, headers: request.headers, remoteAddress: request.remoteAddress)
                if case .rejected(let response) = decision {
                    return response
                }
                return await self.respond(to: request, route: pattern, with: handler)
            }
        }
        return router
    }

    /// Checks a request head before its body is read: returns the 401, 403 or 429 response, or
    /// nil when the request may proceed. `routePattern` is nil when no route matches; such a
    /// request still needs a valid key, so that the routes stay hidden from clients without one.
    public func checkAccess(method: HTTPMethod, routePattern: String?, headers: HTTPFields, remoteAddress: String) -> HTTPResponse? {
        checkAccess(policy: accessPolicy, method: method, routePattern: routePattern, headers: headers, remoteAddress: remoteAddress)
    }

    private func checkAccess(
        policy: AccessPolicy,
        method: HTTPMethod,
        routePattern: String?,
        headers: HTTPFields,
        remoteAddress: String
    ) -> HTTPResponse? {
        let requirement = policy.requirement(method: method, routePattern: routePattern)
        let decision = authenticator.check(
            requirement, route: "\(method.rawValue) \(routePattern ?? "(no route)")", headers: headers, remoteAddress: remoteAddress)
        if case .rejected(let response) = decision {
            return response
        }
        return nil
    }

    /// Every route of the API with the access scope it needs.
    var routes: [APIRoute] {
        [
            APIRoute(.POST, "/evaluate", scope: .evaluate, evaluate),
            APIRoute(.GET, "/alerts", scope: .read, listAlerts),
            APIRoute(.GET, "/alerts/_export", scope: .read, exportAlerts),
            APIRoute(.POST, "/alerts/_status", scope: .manage, changeAlertStatuses),
            APIRoute(.GET, "/alerts/{id}", scope: .read, getAlert),
            APIRoute(.GET, "/alerts/{id}/related", scope: .read, relatedAlerts),
            APIRoute(.PATCH, "/alerts/{id}", scope: .manage, patchAlert),
            APIRoute(.GET, "/exceptions", scope: .read, listExceptions),
            APIRoute(.POST, "/exceptions", scope: .manage, createException),
            APIRoute(.GET, "/exceptions/_export", scope: .read, exportExceptions),
            APIRoute(.POST, "/exceptions/_import", scope: .manage, importExceptions),
            APIRoute(.POST, "/exceptions/_test", scope: .read, testException),
            APIRoute(.GET, "/exceptions/{id}", scope: .read, getException),
            APIRoute(.PUT, "/exceptions/{id}", scope: .manage, replaceException),
            APIRoute(.DELETE, "/exceptions/{id}", scope: .manage, deleteException),
            APIRoute(.GET, "/audit", scope: .read, listAudit),
            APIRoute(.GET, "/rule", scope: .read, getRule),
            APIRoute(.GET, "/health", scope: nil, immediate: health),
            APIRoute(.GET, "/ready", scope: nil, ready),
            APIRoute(.GET, "/metrics", scope: .read, getMetrics),
        ]
    }

    /// Runs a route handler with the request id in every log line it writes. The HTTP server
    /// echoes the id in `X-Request-Id` and reports the response to `recordResponse` through the
    /// hooks that `configure(_:)` installs.
    private func respond(
        to request: HTTPRequest,
        route: String,
        with handler: APIRoute.Handler
    ) async -> HTTPResponse {
        metrics.requestsInFlight.add(1, ordering: .relaxed)
        let response = await LogContext.$requestID.withValue(request.requestID) {
            await run(handler, for: request)
        }
        metrics.requestsInFlight.subtract(1, ordering: .relaxed)
        return response
    }

    /// Installs the service's hooks in the server's configuration. The API key is checked before
    /// a body is read, so `Expect: 100-continue` gets a 401 instead of a 100. Every response,
    /// the server's own errors included, goes to the metrics and the access log.
    public func configure(_ configuration: inout HTTPServerConfiguration) {
        // Built once here: building it is a dictionary of every route, too slow for each request.
        let policy = accessPolicy
        configuration.headCheck = { [self] head in
            checkAccess(policy: policy, method: head.method, routePattern: head.routePattern, headers: head.headers, remoteAddress: head.remoteAddress)
        }
        configuration.onResponse = { [self] exchange in
            recordResponse(
                method: exchange.method, path: exchange.path, route: exchange.routePattern, status: exchange.status,
                duration: exchange.duration, requestBytes: exchange.requestBytes, responseBytes: exchange.responseBytes,
                remoteAddress: exchange.remoteAddress, requestID: exchange.requestID)
        }
    }

    /// Reads the open-connection gauge from `server` at every scrape.
    public func observe(_ server: HTTPServer) {
        metrics.setOpenConnectionsSource { server.openConnectionCount }
    }

    /// Runs a route handler and turns the errors it throws into problem responses.
    private func run(_ handler: APIRoute.Handler, for request: HTTPRequest) async -> HTTPResponse {
        do {
            return try await handler(request)
        } catch {
            return problemResponse(for: error, request: request)
        }
    }

    /// The response for an error a handler threw: its own problem, 503 for a busy database, and
    /// otherwise a logged 500 that reveals no internals.
    private func problemResponse(for error: any Error, request: HTTPRequest) -> HTTPResponse {
        if let problem = error as? APIProblem {
            return problem.response
        }
        if let error = error as? StorageError {
            logger.error("database request failed", ["path": request.path, "method": request.method.rawValue, "error": "\(error)"])
            if case .sqlite(let failure) = error, failure.isBusy {
                return APIProblem.unavailable.response
            }
            return APIProblem.internalError.response
        }
        logger.error("request failed", ["path": request.path, "method": request.method.rawValue, "error": "\(error)"])
        return APIProblem.internalError.response
    }

    /// The requirement of every route, from `routes`, so that a new route cannot be left out.
    var accessPolicy: AccessPolicy {
        AccessPolicy(routes.map { ($0.method, $0.path, $0.scope) })
    }

    var currentExceptions: CompiledExceptions {
        exceptionSnapshot.withLock { $0 }
    }
}

/// One REST route: its method, path pattern, the access scope a client needs (nil for routes
/// that stay open, such as health checks) and its handler.
struct APIRoute: Sendable {
    typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse
    /// A handler that returns without suspending. It runs on the HTTP server's event loop thread.
    typealias ImmediateHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

    let method: HTTPMethod
    let path: String
    let scope: AccessScope?
    let handler: Handler
    /// The handler of a route that does not suspend, such as the health check; `handler` wraps it.
    let immediate: ImmediateHandler?

    init(_ method: HTTPMethod, _ path: String, scope: AccessScope?, _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.scope = scope
        self.handler = handler
        self.immediate = nil
    }

    init(_ method: HTTPMethod, _ path: String, scope: AccessScope?, immediate: @escaping ImmediateHandler) {
        self.method = method
        self.path = path
        self.scope = scope
        self.handler = { request in try immediate(request) }
        self.immediate = immediate
    }
}

/// Reusable detectors, each owning a simdjson parser and its buffers.
///
/// A `Detector` is not `Sendable`; the pool hands each one to a single task at a time.
final class DetectorPool: Sendable {
    private let idle = Mutex<[DetectorBox]>([])
    private let limits: EventDecoderLimits
    private static let maxIdle = 16
    /// A detector's parser keeps buffers sized by the largest body it parsed, several times the
    /// body's size. One that parsed a body larger than this is dropped after use rather than
    /// kept, so that a few large requests do not pin their memory in every idle detector.
    static let maxPooledBodyBytes = 1024 * 1024

    init(limits: EventDecoderLimits) {
        self.limits = limits
    }

    /// Runs `body` with a detector for a request body of `bodyBytes` bytes.
    func withDetector<Result>(bodyBytes: Int, _ body: (Detector) throws -> Result) rethrows -> Result {
        let box = idle.withLock { $0.popLast() } ?? DetectorBox(Detector(limits: limits))
        defer {
            if bodyBytes <= Self.maxPooledBodyBytes {
                idle.withLock { boxes in
                    if boxes.count < Self.maxIdle { boxes.append(box) }
                }
            }
        }
        return try body(box.detector)
    }

    /// The detectors waiting for a request.
    var idleCount: Int { idle.withLock { $0.count } }
}

/// Safe to send because a box is only used by the task that took it out of the pool.
final class DetectorBox: @unchecked Sendable {
    let detector: Detector
    init(_ detector: Detector) { self.detector = detector }
}
