import Foundation
import HTTPServer
import Logging
import Testing

@testable import API

@Suite("Request ids and access log", .serialized)
struct LoggingRequestTests {
    static func isGeneratedID(_ value: String?) -> Bool {
        guard let value else { return false }
        return value.count == 32 && value.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    @Test("response echoes the client's id")
    func echoesID() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("GET", "/health", headers: ["X-Request-Id": "req-4711_a.b"])
        #expect(response.header("X-Request-Id") == "req-4711_a.b")
    }

    @Test("id generated when none given")
    func generatesID() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let first = try await service.client.request("GET", "/health").header("X-Request-Id")
        let second = try await service.client.request("GET", "/health").header("X-Request-Id")
        #expect(Self.isGeneratedID(first))
        #expect(Self.isGeneratedID(second))
        #expect(first != second)
    }

    @Test("unusable ids are replaced")
    func replacesUnusableID() async throws {
        let service = try await TestService()
        defer { service.stop() }
        for given in [String(repeating: "a", count: 129), "two words", "caf\u{E9}"] {
            let response = try await service.client.request("GET", "/health", headers: ["X-Request-Id": given])
            #expect(Self.isGeneratedID(response.header("X-Request-Id")), "\(given)")
        }
        let longest = String(repeating: "b", count: 128)
        let kept = try await service.client.request("GET", "/health", headers: ["X-Request-Id": longest])
        #expect(kept.header("X-Request-Id") == longest)
    }

    @Test("handler log lines carry the id")
    func handlerLinesCarryID() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"{"name": "Jump host", "entries": [{"field": "user.name", "operator": "included", "type": "match", "value": "netadmin"}]}"#
        let response = try await service.client.request(
            "POST", "/exceptions", body: Array(item.utf8), headers: ["Content-Type": "application/json", "X-Request-Id": "req-exception-1"])
        #expect(response.status == 201)

        let line = service.logSink.lines.first { $0.contains("exception created") }
        #expect(line?.contains("request_id=req-exception-1") == true)
    }

    @Test("access log line per request")
    func accessLogLine() async throws {
        let service = try await TestService(accessLog: true)
        defer { service.stop() }
        let response = try await service.client.request("GET", "/alerts/missing", headers: ["X-Request-Id": "req-access-1"])
        #expect(response.status == 404)

        let lines = service.logSink.lines.filter { $0.contains(AccessLog.message) }
        #expect(lines.count == 1)
        let line = lines.first ?? ""
        #expect(line.contains(" info "))
        #expect(line.contains("method=GET"))
        #expect(line.contains("path=/alerts/missing"))
        #expect(line.contains("route=/alerts/{id}"))
        #expect(line.contains("status=404"))
        #expect(line.contains("request_id=req-access-1"))
        #expect(line.contains("remote_address=127.0.0.1:"))
        #expect(line.contains("duration_ms="))
    }

    @Test("no access log by default")
    func noAccessLog() async throws {
        let service = try await TestService()
        defer { service.stop() }
        _ = try await service.client.request("GET", "/health")
        #expect(!service.logSink.lines.contains { $0.contains(AccessLog.message) })
    }

    @Test("access log fields")
    func accessLogFields() {
        let fields = AccessLog.fields(
            method: .POST, path: "/evaluate", route: "/evaluate", status: 200, duration: .microseconds(12_345),
            requestBytes: 600, responseBytes: 250, remoteAddress: "127.0.0.1:50000", requestID: "abc")
        #expect(
            fields == [
                "method": "POST", "path": "/evaluate", "route": "/evaluate", "status": "200", "duration_ms": "12.345",
                "request_bytes": "600", "response_bytes": "250", "remote_address": "127.0.0.1:50000", "request_id": "abc",
            ])
        let unmatched = AccessLog.fields(
            method: .GET, path: "/nope", route: nil, status: 404, duration: .zero,
            requestBytes: 0, responseBytes: 0, remoteAddress: "", requestID: "x")
        #expect(unmatched["route"] == "unmatched")
    }

    @Test("duration in milliseconds")
    func milliseconds() {
        #expect(AccessLog.milliseconds(.zero) == "0.000")
        #expect(AccessLog.milliseconds(.microseconds(7)) == "0.007")
        #expect(AccessLog.milliseconds(.microseconds(12_345)) == "12.345")
        #expect(AccessLog.milliseconds(.seconds(2)) == "2000.000")
    }

    @Test("task metadata reaches every line")
    func taskMetadata() async {
        let sink = LogSink(capturing: ())
        var logger = Logger(label: "detectd", level: .info, format: .json, sink: sink)
        logger[metadataKey: "component"] = "api"
        await LogContext.$metadata.withValue(["request_id": "req-9"]) {
            logger.info("inside")
            await Task { [logger] in logger.info("child task") }.value
        }
        logger.info("outside")

        #expect(sink.lines.count == 3)
        #expect(sink.lines[0].contains(#""request_id":"req-9""#))
        #expect(sink.lines[0].contains(#""component":"api""#))
        #expect(sink.lines[1].contains(#""request_id":"req-9""#))
        #expect(!sink.lines[2].contains("request_id"))
    }

    @Test("text values with control characters are quoted")
    func controlCharacters() {
        let sink = LogSink(capturing: ())
        let logger = Logger(label: "detectd", level: .info, format: .text, sink: sink)
        logger.info("request completed", ["path": "/a\u{1B}[31m", "plain": "/alerts"])
        let line = sink.lines.first ?? ""
        #expect(line.contains(#"path="/a\u001b[31m""#))
        #expect(line.contains("plain=/alerts"))
        #expect(line.hasSuffix("\n"))
        #expect(!line.dropLast().contains("\n"))
        #expect(!line.contains("\u{1B}"))
    }
}

@Suite("Logging configuration")
struct LoggingConfigurationTests {
    @Test("access log switch forms")
    func accessLogSwitch() throws {
        #expect(try Configuration.parse(arguments: [], environment: [:]).accessLog == false)
        #expect(try Configuration.parse(arguments: ["--access-log"], environment: [:]).accessLog == true)
        #expect(try Configuration.parse(arguments: ["--access-log=false"], environment: [:]).accessLog == false)
        #expect(try Configuration.parse(arguments: [], environment: ["DETECTD_ACCESS_LOG": "true"]).accessLog == true)
        #expect(try Configuration.parse(arguments: [], environment: ["DETECTD_ACCESS_LOG": "0"]).accessLog == false)
        #expect(try Configuration.parse(arguments: ["--access-log=no"], environment: ["DETECTD_ACCESS_LOG": "yes"]).accessLog == false)
    }

    @Test("switch does not take the next argument")
    func switchLeavesNextArgument() throws {
        let configuration = try Configuration.parse(arguments: ["--access-log", "--log-format", "json"], environment: [:])
        #expect(configuration.accessLog)
        #expect(configuration.logFormat == .json)
    }

    @Test("invalid switch value is rejected")
    func invalidSwitch() {
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(arguments: ["--access-log=maybe"], environment: [:])
        }
        do {
            _ = try Configuration.parse(arguments: [], environment: ["DETECTD_ACCESS_LOG": "on-ish"])
            Issue.record("an invalid DETECTD_ACCESS_LOG was accepted")
        } catch {
            #expect(error.message == "invalid value 'on-ish' for --access-log; use true or false")
        }
    }

    @Test("help lists the access log switch")
    func help() {
        #expect(Configuration.helpText.contains("--access-log\n"))
        #expect(Configuration.helpText.contains("DETECTD_ACCESS_LOG"))
        #expect(Configuration.helpText.contains("detectd health"))
    }
}
