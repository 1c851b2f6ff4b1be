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

    public init(rule: CompiledRule, database: Database, logger: Logger, limits: EventDecoderLimits = .init()) async throws {
        self.rule = rule
        self.database = database
        self.logger = logger
        self.limits = limits
        self.detectors = DetectorPool(limits: limits)
        self.exceptionSnapshot = Mutex(.empty)
        try await reloadExceptions()
    }

    /// Builds the route table. The server freezes it when it starts.
    public func makeRouter() -> Router {
        var router = Router()
        for route in routes {
            let handler = route.handler
            router.add(route.method, route.path) { [self] request in
                await self.respond(to: request, with: handler)
            }
        }
        return router
    }

    /// Every route of the API with the access scope it needs.
    var routes: [APIRoute] {
        [
            APIRoute(.POST, "/evaluate", scope: .evaluate, evaluate),
            APIRoute(.GET, "/alerts", scope: .read, listAlerts),
            APIRoute(.GET, "/alerts/{id}", scope: .read, getAlert),
            APIRoute(.PATCH, "/alerts/{id}", scope: .manage, patchAlert),
            APIRoute(.GET, "/exceptions", scope: .read, listExceptions),
            APIRoute(.POST, "/exceptions", scope: .manage, createException),
            APIRoute(.GET, "/exceptions/_export", scope: .read, exportExceptions),
            APIRoute(.POST, "/exceptions/_import", scope: .manage, importExceptions),
            APIRoute(.POST, "/exceptions/_test", scope: .read, testException),
            APIRoute(.GET, "/exceptions/{id}", scope: .read, getException),
            APIRoute(.PUT, "/exceptions/{id}", scope: .manage, replaceException),
            APIRoute(.DELETE, "/exceptions/{id}", scope: .manage, deleteException),
            APIRoute(.GET, "/rule", scope: .read, getRule),
            APIRoute(.GET, "/health", scope: nil, health),
            APIRoute(.GET, "/ready", scope: nil, ready),
        ]
    }

    /// Runs a route handler and turns the errors it throws into problem responses; anything
    /// unexpected is logged and answered with a 500 that reveals no internals.
    private func respond(
        to request: HTTPRequest,
        with handler: APIRoute.Handler
    ) async -> HTTPResponse {
        do {
            return try await handler(request)
        } catch let problem as APIProblem {
            return problem.response
        } catch let error as StorageError {
            logger.error("database request failed", ["path": request.path, "method": request.method.rawValue, "error": "\(error)"])
            if case .sqlite(let failure) = error, failure.isBusy {
                return APIProblem.unavailable.response
            }
            return APIProblem.internalError.response
        } catch {
            logger.error("request failed", ["path": request.path, "method": request.method.rawValue, "error": "\(error)"])
            return APIProblem.internalError.response
        }
    }

    var currentExceptions: CompiledExceptions {
        exceptionSnapshot.withLock { $0 }
    }
}

/// One REST route: its method, path pattern, the access scope a client needs (nil for routes
/// that stay open, such as health checks) and its handler.
struct APIRoute: Sendable {
    typealias Handler = @Sendable (HTTPRequest) async throws -> HTTPResponse

    let method: HTTPMethod
    let path: String
    let scope: AccessScope?
    let handler: Handler

    init(_ method: HTTPMethod, _ path: String, scope: AccessScope?, _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.scope = scope
        self.handler = handler
    }
}

/// What a client may do: post events, read alerts and exceptions, or change them.
enum AccessScope: String, Sendable, CaseIterable {
    case evaluate, read, manage
}

/// Reusable detectors, each owning a simdjson parser and its buffers.
///
/// A `Detector` is not `Sendable`; the pool hands each one to a single task at a time.
final class DetectorPool: Sendable {
    private let idle = Mutex<[DetectorBox]>([])
    private let limits: EventDecoderLimits
    private static let maxIdle = 16

    init(limits: EventDecoderLimits) {
        self.limits = limits
    }

    func withDetector<Result>(_ body: (Detector) throws -> Result) rethrows -> Result {
        let box = idle.withLock { $0.popLast() } ?? DetectorBox(Detector(limits: limits))
        defer {
            idle.withLock { boxes in
                if boxes.count < Self.maxIdle { boxes.append(box) }
            }
        }
        return try body(box.detector)
    }
}

/// Safe to send because a box is only used by the task that took it out of the pool.
final class DetectorBox: @unchecked Sendable {
    let detector: Detector
    init(_ detector: Detector) { self.detector = detector }
}
