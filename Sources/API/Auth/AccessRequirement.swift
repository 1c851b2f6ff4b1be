import HTTPServer

/// What a request needs to pass the authentication check.
public enum AccessRequirement: Sendable, Equatable {
    /// No key: health and readiness checks.
    case open
    /// A valid key that grants this scope.
    case scope(AccessScope)
    /// Any valid key. Requests that match no route need one, so that the 404 or 405 a client
    /// gets does not reveal the routes to someone without a key.
    case anyKey
}

/// The requirement of every route, looked up by method and route pattern.
struct AccessPolicy: Sendable {
    private let requirements: [String: AccessRequirement]

    init(_ routes: [(method: HTTPMethod, pattern: String, scope: AccessScope?)]) {
        var requirements: [String: AccessRequirement] = [:]
        for route in routes {
            requirements[Self.key(route.method, route.pattern)] = route.scope.map(AccessRequirement.scope) ?? .open
        }
        self.requirements = requirements
    }

    /// Returns the requirement of `method` on `routePattern`; HEAD has the requirement of GET,
    /// because the router serves HEAD with the GET handler.
    func requirement(method: HTTPMethod, routePattern: String?) -> AccessRequirement {
        guard let routePattern else { return .anyKey }
        if let requirement = requirements[Self.key(method, routePattern)] {
            return requirement
        }
        if method == .HEAD, let requirement = requirements[Self.key(.GET, routePattern)] {
            return requirement
        }
        return .anyKey
    }

    private static func key(_ method: HTTPMethod, _ pattern: String) -> String {
        method.rawValue + " " + pattern
    }
}
