public typealias HTTPHandler = @Sendable (HTTPRequest) async -> HTTPResponse

/// A handler that returns its response without suspending. It runs on the event loop's thread,
/// so it must not block. Skipping the task per request matters for tiny responses such as health checks.
public typealias HTTPImmediateHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// The handler of one route, in one of the two forms a route can register.
package enum RouteHandler: Sendable {
    case async(HTTPHandler)
    case immediate(HTTPImmediateHandler)
}

/// Routes built at start-up. The server freezes them into an immutable `RouteTable` when it is
/// created, so adding routes afterwards has no effect on it.
///
/// A pattern is a path whose segments are literals or `{name}` parameters, such as
/// "/alerts/{id}". A literal segment wins over a parameter at the same position, so "/alerts/stats"
/// reaches its own route even when "/alerts/{id}" exists. HEAD requests reach the GET handler
/// unless a HEAD route exists.
public struct Router: Sendable {
    var root = RouteNode()

    public init() {}

    /// Registers `handler` for `method` and `pattern`. Registering the same method and pattern
    /// twice, or naming a parameter differently from an existing route at the same position, is a
    /// programming error and stops the process.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        add(method, pattern, RouteHandler.async(handler))
    }

    /// Registers a handler that returns without suspending (see `HTTPImmediateHandler`).
    public mutating func addImmediate(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPImmediateHandler) {
        add(method, pattern, RouteHandler.immediate(handler))
    }

    private mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: RouteHandler) {
        precondition(pattern.hasPrefix("/"), "route pattern \(pattern) does not start with '/'")
        let segments = RouteTable.segments(ofPath: pattern)
        root.insert(method, handler, segments: segments[...], pattern: pattern)
    }
}

struct RouteNode: Sendable {
    var literals: [String: RouteNode] = [:]
    var parameterName: String?
    /// The subtree under the parameter segment; empty or one node, because a struct cannot hold
    /// an optional of itself.
    var parameterChild: [RouteNode] = []
    var handlers: [HTTPMethod: RouteHandler] = [:]
    /// The pattern of the routes that end at this node. Routes that end at the same node have
    /// the same pattern, because parameter names at a position must agree.
    var pattern: String?

    mutating func insert(
        _ method: HTTPMethod,
        _ handler: RouteHandler,
        segments: ArraySlice<String>,
        pattern routePattern: String
    ) {
        guard let segment = segments.first else {
            precondition(handlers[method] == nil, "route \(method) \(routePattern) is registered twice")
            handlers[method] = handler
            pattern = pattern ?? routePattern
            return
        }

        let rest = segments.dropFirst()
        if segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2 {
            let name = String(segment.dropFirst().dropLast())
            precondition(
                parameterName == nil || parameterName == name,
                "route \(routePattern) names parameter {\(name)} where another route has {\(parameterName ?? "")}"
            )
            parameterName = name
            if parameterChild.isEmpty {
                parameterChild.append(RouteNode())
            }
            parameterChild[0].insert(method, handler, segments: rest, pattern: routePattern)
        } else {
            literals[segment, default: RouteNode()].insert(method, handler, segments: rest, pattern: routePattern)
        }
    }
}
