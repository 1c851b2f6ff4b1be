import Testing

@testable import Logging

@Suite("Logger")
struct LoggerTests {
    @Test("JSON line carries message and metadata")
    func jsonLine() {
        let sink = LogSink(capturing: ())
        var logger = Logger(label: "detectd", level: .info, format: .json, sink: sink)
        logger[metadataKey: "request_id"] = "abc"
        logger.info("request finished", ["status": "200"])
        #expect(sink.lines.count == 1)
        let line = sink.lines[0]
        #expect(line.contains("\"message\":\"request finished\""))
        #expect(line.contains("\"request_id\":\"abc\""))
        #expect(line.contains("\"status\":\"200\""))
        #expect(line.hasSuffix("}\n"))
    }

    @Test("levels below the threshold are dropped")
    func levelFilter() {
        let sink = LogSink(capturing: ())
        let logger = Logger(label: "detectd", level: .warning, sink: sink)
        logger.info("ignored")
        logger.error("kept", ["error": "disk full"])
        #expect(sink.lines.count == 1)
        #expect(sink.lines[0].contains("error detectd: kept error=\"disk full\""))
    }

    @Test("control characters are escaped")
    func escaping() {
        #expect(Logger.jsonString("a\"b\\c\n\u{1}") == "\"a\\\"b\\\\c\\n\\u0001\"")
    }
}
