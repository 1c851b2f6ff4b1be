import Foundation
import HTTPServer
import Testing

@testable import API

/// Every route of the route table with no key, a wrong key, a key without the route's scope
/// and the right key. The list comes from `DetectionService.routes`, so a new route is tested
/// without being added here.
@Suite("API keys on every route", .serialized)
struct AuthRouteTests {
    struct Sample {
        let target: String
        let body: String?
        /// The status the right key gets; nil for a route without a sample below, which must
        /// then only get past the authentication check.
        let successStatus: Int?
    }

    /// Prepares a request that succeeds on `route`, creating the alert or exception it needs.
    static func sample(for route: APIRoute, service: TestService) async throws -> Sample {
        let admin = TestKeys.authorization("admin")
        var target = route.path
        if target.contains("/alerts/{id}") {
            let event = portProxyEvent(id: "auth-\(UUID().uuidString)")
            let created = try await service.client.request("POST", "/evaluate", body: Array(event.utf8), headers: admin).json()
            let results = try #require(created["results"] as? [[String: Any]])
            let alertID = try #require(results.first?["alert_id"] as? String)
            target = target.replacingOccurrences(of: "{id}", with: alertID)
        }
        if target.contains("/exceptions/{id}") {
            let created = try await service.client.request(
                "POST", "/exceptions", body: Array(ExceptionRouteTests.adminItem.utf8), headers: admin.merging(["Content-Type": "application/json"]) { $1 }
            ).json()
            let exceptionID = try #require(created["id"] as? String)
            target = target.replacingOccurrences(of: "{id}", with: exceptionID)
        }
        target = target.replacingOccurrences(of: "{id}", with: "auth-test-id")

        switch (route.method, route.path) {
        case (.POST, "/evaluate"): return Sample(target: target, body: portProxyEvent(id: "auth-\(UUID().uuidString)"), successStatus: 200)
        case (.PATCH, "/alerts/{id}"): return Sample(target: target, body: #"{"status":"acknowledged"}"#, successStatus: 200)
        case (.POST, "/exceptions"): return Sample(target: target, body: ExceptionRouteTests.adminItem, successStatus: 201)
        case (.PUT, "/exceptions/{id}"): return Sample(target: target, body: ExceptionRouteTests.adminItem, successStatus: 200)
        case (.POST, "/alerts/_status"): return Sample(target: target, body: #"{"ids":["auth-test-id"],"status":"closed"}"#, successStatus: 200)
        case (.GET, "/alerts"), (.GET, "/alerts/{id}"), (.GET, "/exceptions"), (.GET, "/exceptions/{id}"),
            (.DELETE, "/exceptions/{id}"), (.GET, "/rule"), (.GET, "/health"), (.GET, "/ready"),
            (.GET, "/alerts/_export"), (.GET, "/audit"):
            return Sample(target: target, body: nil, successStatus: 200)
        default:
            // Routes without a sample still get a body where their method takes one, so that the
            // request reaches the key check instead of failing for want of a length.
            let takesBody = [HTTPMethod.POST, .PUT, .PATCH].contains(route.method)
            return Sample(target: target, body: takesBody ? "{}" : nil, successStatus: nil)
        }
    }

    static func send(_ route: APIRoute, _ sample: Sample, headers: [String: String], to service: TestService) async throws -> TestHTTPClient.Response {
        var headers = headers
        if sample.body != nil { headers["Content-Type"] = "application/json" }
        return try await service.client.request(route.method.rawValue, sample.target, body: sample.body.map { Array($0.utf8) }, headers: headers)
    }

    @Test("scoped routes need the right key")
    func scopedRoutes() async throws {
        let service = try await TestService(keys: TestKeys.all, maxAuthenticationFailures: 1000)
        defer { service.stop() }
        let scoped = service.service.routes.filter { $0.scope != nil }
        #expect(scoped.count >= 10)

        for route in scoped {
            let scope = try #require(route.scope)
            let name = "\(route.method.rawValue) \(route.path)"
            let sample = try await Self.sample(for: route, service: service)

            let missing = try await Self.send(route, sample, headers: [:], to: service)
            #expect(missing.status == 401, "\(name) without a key")
            #expect(missing.headers.filter { $0.0 == "WWW-Authenticate" }.map(\.1) == [#"ApiKey realm="detectd""#, #"Bearer realm="detectd""#], "\(name)")
            #expect(missing.header("Content-Type") == "application/problem+json", "\(name)")

            let wrong = try await Self.send(route, sample, headers: ["Authorization": "ApiKey detectd_not-a-configured-secret-000000"], to: service)
            #expect(wrong.status == 401, "\(name) with a wrong key")
            #expect(wrong.headers.contains { $0.0 == "WWW-Authenticate" && $0.1.contains(#"error="invalid_token""#) }, "\(name)")

            let withoutScope = try await Self.send(route, sample, headers: TestKeys.authorization("all-but-\(scope.rawValue)"), to: service)
            #expect(withoutScope.status == 403, "\(name) with a key without \(scope.rawValue)")
            #expect(try withoutScope.json()["missing_scope"] as? String == scope.rawValue, "\(name)")
            #expect(withoutScope.text.contains("'all-but-\(scope.rawValue)'"), "\(name)")

            let right = try await Self.send(route, sample, headers: TestKeys.authorization("only-\(scope.rawValue)", scheme: "Bearer"), to: service)
            if let successStatus = sample.successStatus {
                #expect(right.status == successStatus, "\(name) with the right key: \(right.text.prefix(200))")
            } else {
                #expect(![401, 403, 429].contains(right.status), "\(name) with the right key: \(right.text.prefix(200))")
            }
        }
    }

    @Test("health checks stay open")
    func openRoutes() async throws {
        let service = try await TestService(keys: TestKeys.all)
        defer { service.stop() }
        let open = service.service.routes.filter { $0.scope == nil }
        #expect(open.map(\.path).sorted() == ["/health", "/ready"])

        for route in open {
            let name = "\(route.method.rawValue) \(route.path)"
            let sample = try await Self.sample(for: route, service: service)
            #expect(try await Self.send(route, sample, headers: [:], to: service).status == 200, "\(name) without a key")
            #expect(try await Self.send(route, sample, headers: ["Authorization": "ApiKey wrong"], to: service).status == 200, "\(name) with a wrong key")
            #expect(try await Self.send(route, sample, headers: TestKeys.authorization("only-read"), to: service).status == 200, "\(name) with a key")
        }
    }

    @Test("without keys every route is open")
    func disabled() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("GET", "/alerts")
        #expect(response.status == 200)
        #expect(service.service.authenticator.isEnabled == false)
    }

    @Test("scheme names are case-insensitive")
    func schemeCase() async throws {
        let service = try await TestService(keys: TestKeys.all)
        defer { service.stop() }
        for scheme in ["ApiKey", "apikey", "APIKEY", "Bearer", "bearer"] {
            let response = try await service.client.request("GET", "/rule", headers: TestKeys.authorization("only-read", scheme: scheme))
            #expect(response.status == 200, "\(scheme)")
        }
        let basic = try await service.client.request("GET", "/rule", headers: ["Authorization": "Basic \(TestKeys.secret("only-read"))"])
        #expect(basic.status == 401)
    }

    @Test("status change records the key name")
    func actorIsKeyName() async throws {
        let service = try await TestService(keys: TestKeys.all)
        defer { service.stop() }
        let created = try await service.client.request(
            "POST", "/evaluate", body: Array(portProxyEvent(id: "actor-1").utf8), headers: TestKeys.authorization("only-evaluate")
        ).json()
        let results = try #require(created["results"] as? [[String: Any]])
        let alertID = try #require(results.first?["alert_id"] as? String)

        var headers = TestKeys.authorization("only-manage")
        headers["Content-Type"] = "application/json"
        let patched = try await service.client.request("PATCH", "/alerts/\(alertID)", body: Array(#"{"status":"closed"}"#.utf8), headers: headers)
        #expect(patched.status == 200)
        let history = try #require(try patched.json()["status_history"] as? [[String: Any]])
        #expect(history.first?["actor"] as? String == "only-manage")
    }

    @Test("head check hides unknown routes")
    func headCheckUnknownRoute() async throws {
        let service = try await TestService(keys: TestKeys.all)
        defer { service.stop() }
        let detection = service.service
        let noKey = detection.checkAccess(method: .GET, routePattern: nil, headers: [:], remoteAddress: "127.0.0.1:5000")
        #expect(noKey?.status == 401)
        let withKey = detection.checkAccess(
            method: .GET, routePattern: nil, headers: ["Authorization": "ApiKey \(TestKeys.secret("only-read"))"], remoteAddress: "127.0.0.1:5000")
        #expect(withKey == nil)
        let headOfGet = detection.checkAccess(
            method: .HEAD, routePattern: "/alerts", headers: ["Authorization": "ApiKey \(TestKeys.secret("only-evaluate"))"], remoteAddress: "127.0.0.1:5000")
        #expect(headOfGet?.status == 403)
        let health = detection.checkAccess(method: .GET, routePattern: "/health", headers: [:], remoteAddress: "127.0.0.1:5000")
        #expect(health == nil)
    }
}

@Suite("API keys in openapi.yaml")
struct AuthOpenAPITests {
    /// Returns the lines of the operation `method` under `path` in openapi.yaml.
    static func operationLines(_ lines: [Substring], path: String, method: String) -> [Substring] {
        guard let pathLine = lines.firstIndex(of: "  \(path):"[...]) else { return [] }
        // Blank lines inside a block scalar (a multi-line description) do not end the path.
        let pathEnd = lines[(pathLine + 1)...].firstIndex { $0.hasPrefix("  /") || (!$0.isEmpty && !$0.hasPrefix(" ")) } ?? lines.endIndex
        guard let operationLine = lines[pathLine..<pathEnd].firstIndex(of: "    \(method):"[...]) else { return [] }
        let operationEnd = lines[(operationLine + 1)..<pathEnd].firstIndex { $0.hasPrefix("    ") && !$0.hasPrefix("     ") } ?? pathEnd
        return Array(lines[operationLine..<operationEnd])
    }

    @Test("every route declares its scope")
    func scopesDeclared() async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../openapi.yaml")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let service = try await TestService()
        defer { service.stop() }

        for route in service.service.routes {
            let name = "\(route.method.rawValue) \(route.path)"
            let operation = Self.operationLines(lines, path: route.path, method: route.method.rawValue.lowercased())
            #expect(!operation.isEmpty, "\(name) is missing from openapi.yaml")
            if let scope = route.scope {
                #expect(operation.contains("        - ApiKey: [\(scope.rawValue)]"), "\(name)")
                #expect(operation.contains("        - Bearer: [\(scope.rawValue)]"), "\(name)")
                #expect(operation.contains { $0.hasPrefix("        '401'") }, "\(name)")
                #expect(operation.contains { $0.hasPrefix("        '403'") }, "\(name)")
            } else {
                #expect(operation.contains("      security: []"), "\(name)")
            }
        }
    }
}
