import HTTPServer
import Logging

/// A server on an ephemeral port of 127.0.0.1 with routes that the tests exercise.
struct TestServer {
    let server: HTTPServer
    let port: Int
    let logSink: LogSink

    static func start(
        _ configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        routes: (inout Router) -> Void = addStandardRoutes
    ) throws -> TestServer {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.loopCount = 2

        var router = Router()
        routes(&router)
        let sink = LogSink(capturing: ())
        let server = HTTPServer(
            configuration: configuration,
            router: router,
            logger: Logger(label: "http-test", level: .debug, sink: sink)
        )
        let port = try server.start()
        return TestServer(server: server, port: port, logSink: sink)
    }

    func stop() {
        server.shutdown()
        server.wait()
    }

    static func addStandardRoutes(_ router: inout Router) {
        router.add(.GET, "/hello") { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array("hello".utf8))
        }
        router.add(.POST, "/echo") { request in
            var headers: HTTPFields = ["Content-Type": "application/octet-stream"]
            headers.set("X-Content-Encoding", request.headers["Content-Encoding"] ?? "none")
            return HTTPResponse(status: 200, headers: headers, body: request.body)
        }
        router.add(.PUT, "/echo") { request in
            HTTPResponse(status: 200, body: request.body)
        }
        router.add(.GET, "/alerts/{id}") { request in
            .json(200, "{\"id\":\"\(request.pathParameters["id"] ?? "")\"}")
        }
        router.add(.PATCH, "/alerts/{id}") { request in
            .json(200, "{\"patched\":\"\(request.pathParameters["id"] ?? "")\"}")
        }
        router.add(.GET, "/alerts/stats") { _ in
            .json(200, "{\"stats\":true}")
        }
        router.add(.GET, "/query") { request in
            let limit = request.queryValue("limit") ?? "-"
            let names = request.queryValues("name").joined(separator: "|")
            return HTTPResponse(status: 200, body: Array("limit=\(limit) names=\(names)".utf8))
        }
        router.add(.GET, "/slow") { _ in
            try? await Task.sleep(for: .milliseconds(800))
            return HTTPResponse(status: 200, body: Array("slow".utf8))
        }
        router.add(.GET, "/empty") { _ in
            HTTPResponse(status: 204)
        }
    }
}
