import Foundation
import Synchronization

/// A structured logger: a constant message plus key-value metadata, one line per record on
/// standard error, as logfmt-style text or as one JSON object.
///
/// Copies are cheap; give each request its own copy carrying its request id in `metadata`.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error, critical

        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.description == name.lowercased() }) else {
                return nil
            }
            self = level
        }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public let label: String
    public var logLevel: Level
    public var format: Format
    public var metadata: [String: String]
    private let sink: LogSink

    public init(label: String, level: Level = .info, format: Format = .text, sink: LogSink = .standardError) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.metadata = [:]
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> String? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(_ level: Level, _ message: String, _ extra: [String: String] = [:]) {
        guard level >= logLevel else { return }
        var fields = LogContext.metadata
        if let requestID = LogContext.requestID {
            fields["request_id"] = requestID
        }
        for (key, value) in metadata { fields[key] = value }
        for (key, value) in extra { fields[key] = value }
        let line: String
        switch format {
        case .text: line = Self.textLine(level: level, label: label, message: message, fields: fields)
        case .json: line = Self.jsonLine(level: level, label: label, message: message, fields: fields)
        }
        sink.write(line)
    }

    public func trace(_ message: String, _ extra: [String: String] = [:]) { log(.trace, message, extra) }
    public func debug(_ message: String, _ extra: [String: String] = [:]) { log(.debug, message, extra) }
    public func info(_ message: String, _ extra: [String: String] = [:]) { log(.info, message, extra) }
    public func notice(_ message: String, _ extra: [String: String] = [:]) { log(.notice, message, extra) }
    public func warning(_ message: String, _ extra: [String: String] = [:]) { log(.warning, message, extra) }
    public func error(_ message: String, _ extra: [String: String] = [:]) { log(.error, message, extra) }
    public func critical(_ message: String, _ extra: [String: String] = [:]) { log(.critical, message, extra) }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    static func textLine(level: Level, label: String, message: String, fields: [String: String]) -> String {
        var line = "\(timestamp()) \(level) \(label): \(message)"
        for key in fields.keys.sorted() {
            line += " \(key)=\(quoteIfNeeded(fields[key]!))"
        }
        return line + "\n"
    }

    static func jsonLine(level: Level, label: String, message: String, fields: [String: String]) -> String {
        var line = "{\"time\":\"\(timestamp())\",\"level\":\"\(level)\",\"logger\":\(jsonString(label)),\"message\":\(jsonString(message))"
        for key in fields.keys.sorted() where !["time", "level", "logger", "message"].contains(key) {
            line += ",\(jsonString(key)):\(jsonString(fields[key]!))"
        }
        return line + "}\n"
    }

    /// Quotes a text-format value that is empty or holds a space, quote, equals sign or control
    /// character, so that a client-supplied value (a request path) cannot forge fields or lines.
    static func quoteIfNeeded(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains(where: { scalar in
                scalar == " " || scalar == "\"" || scalar == "=" || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                    || scalar == "\u{2028}" || scalar == "\u{2029}"
            })
        return needsQuotes ? jsonString(value) : value
    }

    /// Encodes `value` as a JSON string literal with the escapes RFC 8259 requires.
    public static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Where log lines go. Writes are serialized so that lines from different threads never interleave.
public final class LogSink: Sendable {
    private let fileDescriptor: Int32
    private let lock = Mutex(())
    private let captured: CapturedLines?

    public static let standardError = LogSink(fileDescriptor: 2)

    public init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
        self.captured = nil
    }

    /// A sink that keeps lines in memory, for tests that check what was logged.
    public init(capturing: Void = ()) {
        self.fileDescriptor = -1
        self.captured = CapturedLines()
    }

    public var lines: [String] { captured?.lines.withLock { $0 } ?? [] }

    func write(_ line: String) {
        if let captured {
            captured.lines.withLock { $0.append(line) }
            return
        }
        lock.withLock { _ in
            var bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeMutableBytes { buffer in
                    Foundation.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
            bytes.removeAll()
        }
    }
}

final class CapturedLines: Sendable {
    let lines = Mutex<[String]>([])
}
