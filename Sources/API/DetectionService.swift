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
        router.add(.POST, "/evaluate") { [self] in await self.respond(to: $0, with: self.evaluate) }
        router.add(.GET, "/alerts") { [self] in await self.respond(to: $0, with: self.listAlerts) }
        router.add(.GET, "/alerts/{id}") { [self] in await self.respond(to: $0, with: self.getAlert) }
        router.add(.PATCH, "/alerts/{id}") { [self] in await self.respond(to: $0, with: self.patchAlert) }
        router.add(.GET, "/exceptions") { [self] in await self.respond(to: $0, with: self.listExceptions) }
        router.add(.POST, "/exceptions") { [self] in await self.respond(to: $0, with: self.createException) }
        router.add(.GET, "/exceptions/{id}") { [self] in await self.respond(to: $0, with: self.getException) }
        router.add(.PUT, "/exceptions/{id}") { [self] in await self.respond(to: $0, with: self.replaceException) }
        router.add(.DELETE, "/exceptions/{id}") { [self] in await self.respond(to: $0, with: self.deleteException) }
        router.add(.GET, "/rule") { [self] in await self.respond(to: $0, with: self.getRule) }
        router.add(.GET, "/health") { [self] in await self.respond(to: $0, with: self.health) }
        router.add(.GET, "/ready") { [self] in await self.respond(to: $0, with: self.ready) }
        return router
    }

    /// Runs a route handler and turns the errors it throws into problem responses; anything
    /// unexpected is logged and answered with a 500 that reveals no internals.
    private func respond(
        to request: HTTPRequest,
        with handler: (HTTPRequest) async throws -> HTTPResponse
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
