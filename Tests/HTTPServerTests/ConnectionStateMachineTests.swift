import Testing

@testable import HTTPServer

/// The connection state machine driven with made-up clock readings and no socket.
@Suite("Connection state machine")
struct ConnectionStateMachineTests {
    static let start = MonotonicInstant.now
    static let configuration = HTTPServerConfiguration(
        headTimeout: .seconds(10),
        bodyTimeout: .seconds(30),
        idleTimeout: .seconds(60),
        writeTimeout: .seconds(5)
    )

    static func at(_ seconds: Double) -> Timestamp {
        Timestamp(instant: start + .milliseconds(Int(seconds * 1000)), httpDate: "Thu, 01 Jan 2026 00:00:00 GMT")
    }

    static func makeMachine() -> HTTPConnectionStateMachine {
        var router = Router()
        router.add(.GET, "/hello") { _ in HTTPResponse(status: 200) }
        router.add(.POST, "/echo") { request in HTTPResponse(status: 200, body: request.body) }
        return HTTPConnectionStateMachine(
            configuration: configuration,
            routes: RouteTable(router),
            remoteAddress: "127.0.0.1:5000",
            now: at(0)
        )
    }

    static func requests(in actions: [HTTPConnectionStateMachine.Action]) -> [HTTPRequest] {
        actions.compactMap { action in
            if case .runHandler(let request, _) = action { request } else { nil }
        }
    }

    static func output(_ machine: HTTPConnectionStateMachine) -> String {
        String(decoding: machine.pendingOutput, as: UTF8.self)
    }

    static func containsClose(_ actions: [HTTPConnectionStateMachine.Action]) -> Bool {
        actions.contains { if case .close = $0 { true } else { false } }
    }

    static func exchanges(in actions: [HTTPConnectionStateMachine.Action]) -> [HTTPExchange] {
        actions.compactMap { action in
            if case .exchangeCompleted(let exchange) = action { exchange } else { nil }
        }
    }

    static func containsShutdownOutput(_ actions: [HTTPConnectionStateMachine.Action]) -> Bool {
        actions.contains { if case .shutdownOutput = $0 { true } else { false } }
    }

    @Test("request completes and resets to head")
    func requestCycle() {
        var machine = Self.makeMachine()
        let actions = machine.receive(Array("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n".utf8), now: Self.at(0.1))
        let requests = Self.requests(in: actions)
        #expect(requests.count == 1)
        #expect(requests.first?.path == "/hello")
        #expect(requests.first?.remoteAddress == "127.0.0.1:5000")
        #expect(!machine.wantsInput)

        _ = machine.handlerCompleted(HTTPResponse(status: 200, body: Array("ok".utf8)), now: Self.at(0.2))
        let output = Self.output(machine)
        #expect(output.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(output.contains("Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n"))
        #expect(output.hasSuffix("Content-Length: 2\r\nKeep-Alive: timeout=60\r\n\r\nok"))

        let afterSend = machine.didSend(machine.pendingOutput.count, now: Self.at(0.3))
        #expect(afterSend.count == 1)
        #expect(Self.exchanges(in: afterSend).count == 1)
        #expect(machine.pendingOutput.isEmpty)
        #expect(machine.wantsInput)
        #expect(machine.nextDeadline == Self.start + .milliseconds(300) + .seconds(60))
    }

    @Test("head split at every byte")
    func splitHead() {
        var machine = Self.makeMachine()
        let bytes = Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc".utf8)
        var requests: [HTTPRequest] = []
        for byte in bytes {
            requests += Self.requests(in: machine.receive([byte], now: Self.at(0.1)))
        }
        #expect(requests.count == 1)
        #expect(requests.first?.body == Array("abc".utf8))
    }

    @Test("pipelined request waits for send")
    func pipelinedWaits() {
        var machine = Self.makeMachine()
        let two = "GET /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /hello?second HTTP/1.1\r\nHost: a\r\n\r\n"
        let first = Self.requests(in: machine.receive(Array(two.utf8), now: Self.at(0)))
        #expect(first.map(\.target) == ["/hello"])

        _ = machine.handlerCompleted(HTTPResponse(status: 200), now: Self.at(0))
        #expect(Self.requests(in: machine.didSend(10, now: Self.at(0))).isEmpty)
        let second = Self.requests(in: machine.didSend(machine.pendingOutput.count, now: Self.at(0)))
        #expect(second.map(\.target) == ["/hello?second"])
    }

    @Test("head deadline ignores dripping bytes")
    func headDeadline() {
        var machine = Self.makeMachine()
        _ = machine.receive(Array("GET /hello HTTP/1.1\r\n".utf8), now: Self.at(1))
        for second in 2...10 {
            _ = machine.receive(Array("X".utf8), now: Self.at(Double(second)))
            #expect(machine.checkTimeouts(now: Self.at(Double(second))).isEmpty)
        }
        #expect(machine.nextDeadline == Self.start + .seconds(11))

        let actions = machine.checkTimeouts(now: Self.at(11))
        #expect(actions.contains { if case .log(.timedOut(phase: "head")) = $0 { true } else { false } })
        #expect(Self.output(machine).hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(Self.output(machine).contains("Connection: close\r\n"))

        let afterSend = machine.didSend(machine.pendingOutput.count, now: Self.at(11))
        #expect(Self.containsShutdownOutput(afterSend))
        #expect(Self.containsClose(machine.checkTimeouts(now: Self.at(14))))
    }

    @Test("idle keep-alive closes silently")
    func idleTimeout() {
        var machine = Self.makeMachine()
        _ = machine.receive(Array("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n".utf8), now: Self.at(0))
        _ = machine.handlerCompleted(HTTPResponse(status: 200), now: Self.at(0))
        _ = machine.didSend(machine.pendingOutput.count, now: Self.at(1))

        #expect(machine.checkTimeouts(now: Self.at(60)).isEmpty)
        let actions = machine.checkTimeouts(now: Self.at(61))
        #expect(Self.containsClose(actions))
        #expect(machine.pendingOutput.isEmpty)
    }

    @Test("body deadline sends 408")
    func bodyDeadline() {
        var machine = Self.makeMachine()
        _ = machine.receive(Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\n\r\nab".utf8), now: Self.at(0))
        #expect(machine.checkTimeouts(now: Self.at(29.9)).isEmpty)
        _ = machine.checkTimeouts(now: Self.at(30))
        #expect(Self.output(machine).hasPrefix("HTTP/1.1 408 "))
    }

    @Test("write deadline closes connection")
    func writeDeadline() {
        var machine = Self.makeMachine()
        _ = machine.receive(Array("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n".utf8), now: Self.at(0))
        _ = machine.handlerCompleted(HTTPResponse(status: 200, body: [UInt8](repeating: 1, count: 1000)), now: Self.at(1))
        _ = machine.didSend(100, now: Self.at(2))
        #expect(machine.checkTimeouts(now: Self.at(5.9)).isEmpty)
        let actions = machine.checkTimeouts(now: Self.at(6))
        #expect(Self.containsClose(actions))
        #expect(machine.isClosed)

        let exchange = Self.exchanges(in: actions).first
        #expect(exchange?.status == 200)
        #expect(exchange?.responseBytes == 100)
        #expect(exchange?.duration == .seconds(6))
    }

    @Test("exchange counts bytes split anywhere")
    func exchangeAccounting() {
        var machine = Self.makeMachine()
        let request = "\r\nPOST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        for (index, byte) in request.utf8.enumerated() {
            _ = machine.receive([byte], now: Self.at(1 + Double(index) / 1000))
        }
        _ = machine.handlerCompleted(HTTPResponse(status: 201, body: Array("made".utf8)), now: Self.at(2))
        let size = machine.pendingOutput.count
        #expect(machine.didSend(size - 1, now: Self.at(2.5)).isEmpty)
        let actions = machine.didSend(1, now: Self.at(3))

        let exchange = Self.exchanges(in: actions).first
        #expect(exchange?.method == .POST)
        #expect(exchange?.path == "/echo")
        #expect(exchange?.routePattern == "/echo")
        #expect(exchange?.status == 201)
        #expect(exchange?.requestBytes == request.utf8.count)
        #expect(exchange?.responseBytes == size)
        #expect(exchange?.duration == .seconds(2))
        #expect(exchange?.remoteAddress == "127.0.0.1:5000")
        #expect(exchange?.requestID.count == 32)
        #expect(machine.currentRequestID == nil)
    }

    @Test("seeded generator gives repeatable ids")
    func seededRequestIDs() {
        var router = Router()
        router.add(.GET, "/hello") { _ in HTTPResponse(status: 200) }
        var ids: [String] = []
        for _ in 0..<2 {
            var machine = HTTPConnectionStateMachine(
                configuration: Self.configuration,
                routes: RouteTable(router),
                remoteAddress: "127.0.0.1:5000",
                now: Self.at(0),
                requestIDs: RequestIDGenerator(seed: 99)
            )
            let requests = Self.requests(in: machine.receive(Array("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n".utf8), now: Self.at(0)))
            ids.append(requests.first?.requestID ?? "")
        }
        #expect(ids[0] == ids[1])
        #expect(ids[0].count == 32)
    }

    @Test("100-continue queued before body")
    func expectContinue() {
        var machine = Self.makeMachine()
        let head = "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\n"
        #expect(Self.requests(in: machine.receive(Array(head.utf8), now: Self.at(0))).isEmpty)
        #expect(Self.output(machine) == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(machine.wantsInput)

        _ = machine.didSend(machine.pendingOutput.count, now: Self.at(0))
        let requests = Self.requests(in: machine.receive(Array("hi".utf8), now: Self.at(0)))
        #expect(requests.first?.body == Array("hi".utf8))
    }

    @Test("parse error logs and closes")
    func parseError() {
        var machine = Self.makeMachine()
        let actions = machine.receive(Array("GET /hello HTTP/1.1\r\nHost: a\r\nBad-Name : x\r\n\r\n".utf8), now: Self.at(0))
        let logged = actions.compactMap { action -> HTTPRequestError? in
            if case .log(.rejected(let error)) = action { error } else { nil }
        }
        #expect(logged.first?.kind == .whitespaceBeforeColon("Bad-Name"))
        #expect(logged.first?.offset == 38)
        #expect(Self.output(machine).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(Self.output(machine).contains("\"byte_offset\":38"))
        #expect(!machine.wantsInput)
    }

    @Test("end of input during handler")
    func endOfInputDuringHandler() {
        var machine = Self.makeMachine()
        _ = machine.receive(Array("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n".utf8), now: Self.at(0))
        #expect(machine.receiveEndOfInput(now: Self.at(0)).isEmpty)

        _ = machine.handlerCompleted(HTTPResponse(status: 200), now: Self.at(0))
        #expect(Self.output(machine).contains("Connection: close\r\n"))
        #expect(Self.containsClose(machine.didSend(machine.pendingOutput.count, now: Self.at(0))))
    }

    @Test("shutdown closes idle connection")
    func shutdownIdle() {
        var machine = Self.makeMachine()
        #expect(Self.containsClose(machine.beginShutdown(now: Self.at(0))))
    }

    @Test("shutdown lets busy request finish")
    func shutdownBusy() {
        var machine = Self.makeMachine()
        _ = machine.receive(Array("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n".utf8), now: Self.at(0))
        #expect(machine.beginShutdown(now: Self.at(0)).isEmpty)

        _ = machine.handlerCompleted(HTTPResponse(status: 200), now: Self.at(1))
        #expect(Self.output(machine).contains("Connection: close\r\n"))
        #expect(Self.containsShutdownOutput(machine.didSend(machine.pendingOutput.count, now: Self.at(1))))
    }
}
