import Testing

@testable import HTTPServer

@Suite("Router")
struct RouterTests {
    static func table() -> RouteTable {
        var router = Router()
        router.add(.GET, "/") { _ in HTTPResponse(status: 200) }
        router.add(.GET, "/alerts") { _ in HTTPResponse(status: 200) }
        router.add(.GET, "/alerts/{id}") { _ in HTTPResponse(status: 200) }
        router.add(.PATCH, "/alerts/{id}") { _ in HTTPResponse(status: 200) }
        router.add(.DELETE, "/alerts/stats") { _ in HTTPResponse(status: 200) }
        router.add(.GET, "/alerts/{id}/notes/{note}") { _ in HTTPResponse(status: 200) }
        return RouteTable(router)
    }

    static func parameters(_ match: RouteTable.Match) -> [String: String]? {
        if case .found(_, let parameters, _) = match { parameters } else { nil }
    }

    static func allowed(_ match: RouteTable.Match) -> [HTTPMethod]? {
        if case .methodNotAllowed(let allowed) = match { allowed } else { nil }
    }

    @Test("parameters are captured")
    func parameters() {
        let table = Self.table()
        #expect(Self.parameters(table.match(.GET, segments: ["alerts", "a1"])) == ["id": "a1"])
        #expect(Self.parameters(table.match(.GET, segments: ["alerts", "a1", "notes", "n2"])) == ["id": "a1", "note": "n2"])
        #expect(Self.parameters(table.match(.GET, segments: [""])) == [:])
    }

    @Test("literal wins over parameter")
    func literalWins() {
        let table = Self.table()
        #expect(Self.allowed(table.match(.GET, segments: ["alerts", "stats"])) == [.DELETE])
        #expect(Self.parameters(table.match(.DELETE, segments: ["alerts", "stats"])) == [:])
    }

    @Test("parameter used when literal subtree fails")
    func backtracks() {
        let table = Self.table()
        #expect(Self.parameters(table.match(.GET, segments: ["alerts", "stats", "notes", "x"])) == ["id": "stats", "note": "x"])
    }

    @Test("HEAD reaches GET handler")
    func headFallsBack() {
        #expect(Self.parameters(Self.table().match(.HEAD, segments: ["alerts"])) == [:])
    }

    @Test("Allow lists methods in order")
    func allow() {
        let allowed = Self.allowed(Self.table().match(.DELETE, segments: ["alerts", "x"]))
        #expect(allowed == [.GET, .HEAD, .PATCH])
    }

    @Test("method of no route is not allowed")
    func unknownMethodNotAllowed() {
        let table = Self.table()
        for method in [HTTPMethod.TRACE, .PUT, HTTPMethod("BREW")] {
            let match = table.match(method, segments: ["alerts", "x"])
            let isNotAllowed = if case .methodNotAllowed = match { true } else { false }
            #expect(isNotAllowed, "\(method)")
        }
    }

    @Test("unknown path is not found")
    func notFound() {
        let table = Self.table()
        let cases: [[String]] = [["nothing"], ["alerts", "a", "b"], ["alerts", ""], []]
        for segments in cases {
            let match = table.match(.GET, segments: segments)
            let isNotFound = if case .notFound = match { true } else { false }
            #expect(isNotFound, "\(segments)")
        }
    }
}
