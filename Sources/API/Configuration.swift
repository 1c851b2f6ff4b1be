import Foundation
import Logging

/// detectd's settings, from command-line flags, then `DETECTD_…` environment variables, then
/// defaults. A flag wins over its environment variable.
public struct Configuration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var databasePath = "./data/detectd.sqlite"
    /// A rule file in Kibana's rule format; `nil` loads the bundled Port Forwarding Rule Addition.
    public var rulePath: String?
    public var logLevel = Logger.Level.info
    public var logFormat = Logger.Format.text
    /// Writes one `info` line per request once its response is ready.
    public var accessLog = false
    public var showHelp = false

    public init() {}

    /// One setting: its flag, environment variable, value name and help text. A switch
    /// (`isSwitch`) takes no value after the flag: `--access-log` means true, and
    /// `--access-log=false` or its environment variable set to false turns it off.
    struct Option: Sendable {
        let flag: String
        let environment: String
        let valueName: String
        let help: String
        var isSwitch = false
        let apply: @Sendable (inout Configuration, String) throws(ConfigurationError) -> Void
    }

    static let options: [Option] = [
        Option(flag: "--listen", environment: "DETECTD_LISTEN", valueName: "HOST:PORT",
               help: "Address and TCP port to serve HTTP on; port 0 picks a free port. Default: 127.0.0.1:8080.") { configuration, value throws(ConfigurationError) in
            (configuration.host, configuration.port) = try parseListenAddress(value)
        },
        Option(flag: "--database", environment: "DETECTD_DATABASE", valueName: "PATH",
               help: "SQLite database file; its folder is created if missing. Default: ./data/detectd.sqlite.") { configuration, value throws(ConfigurationError) in
            guard !value.isEmpty else { throw ConfigurationError("--database needs a file path") }
            configuration.databasePath = value
        },
        Option(flag: "--rule", environment: "DETECTD_RULE", valueName: "FILE",
               help: "Detection rule in Kibana's rule format (an EQL rule). Default: the bundled Port Forwarding Rule Addition, version 6.") { configuration, value throws(ConfigurationError) in
            guard !value.isEmpty else { throw ConfigurationError("--rule needs a file path") }
            configuration.rulePath = value
        },
        Option(flag: "--log-level", environment: "DETECTD_LOG_LEVEL", valueName: "LEVEL",
               help: "Lowest level logged: trace, debug, info, notice, warning, error or critical. Default: info.") { configuration, value throws(ConfigurationError) in
            guard let level = Logger.Level(name: value) else {
                throw ConfigurationError("invalid log level '\(value)'; use trace, debug, info, notice, warning, error or critical")
            }
            configuration.logLevel = level
        },
        Option(flag: "--log-format", environment: "DETECTD_LOG_FORMAT", valueName: "FORMAT",
               help: "Log line format on standard error: text or json. Default: text.") { configuration, value throws(ConfigurationError) in
            guard let format = Logger.Format(rawValue: value.lowercased()) else {
                throw ConfigurationError("invalid log format '\(value)'; use text or json")
            }
            configuration.logFormat = format
        },
        Option(flag: "--access-log", environment: "DETECTD_ACCESS_LOG", valueName: "true|false",
               help: "Log one info line per request with its method, path, route, status, duration, sizes, client address and request id. Default: false.",
               isSwitch: true) { configuration, value throws(ConfigurationError) in
            configuration.accessLog = try parseSwitch(value, flag: "--access-log")
        },
    ]

    /// Reads the settings; `arguments` excludes the program name.
    public static func parse(arguments: [String], environment: [String: String]) throws(ConfigurationError) -> Configuration {
        var configuration = Configuration()
        for option in options {
            if let value = environment[option.environment] {
                try option.apply(&configuration, value)
            }
        }
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" {
                configuration.showHelp = true
                continue
            }
            let flag: String
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                flag = argument
            }
            guard let option = options.first(where: { $0.flag == flag }) else {
                throw ConfigurationError("unknown option '\(argument)'; run detectd --help for the list")
            }
            if value == nil { value = option.isSwitch ? "true" : remaining.popFirst() }
            guard let value else {
                throw ConfigurationError("\(flag) needs a value (\(option.valueName))")
            }
            try option.apply(&configuration, value)
        }
        return configuration
    }

    /// Reads a switch's value: true, false, 1, 0, yes or no, in any case.
    static func parseSwitch(_ value: String, flag: String) throws(ConfigurationError) -> Bool {
        switch value.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigurationError("invalid value '\(value)' for \(flag); use true or false")
        }
    }

    /// Splits `HOST:PORT` or `[IPv6]:PORT`; a bare port listens on 127.0.0.1.
    public static func parseListenAddress(_ value: String) throws(ConfigurationError) -> (host: String, port: Int) {
        var host = "127.0.0.1"
        var portText = value
        if value.hasPrefix("[") {
            guard let close = value.firstIndex(of: "]"), value[value.index(after: close)...].hasPrefix(":") else {
                throw ConfigurationError("invalid listen address '\(value)'; use HOST:PORT such as 127.0.0.1:8080 or [::1]:8080")
            }
            host = String(value[value.index(after: value.startIndex)..<close])
            portText = String(value[value.index(close, offsetBy: 2)...])
        } else if let colon = value.lastIndex(of: ":") {
            host = String(value[..<colon])
            portText = String(value[value.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            throw ConfigurationError("invalid listen address '\(value)'; use HOST:PORT such as 127.0.0.1:8080, with a port from 0 to 65535")
        }
        return (host, port)
    }

    public static var helpText: String {
        var text = """
        detectd: evaluates ECS security events against an Elastic detection rule and Kibana
        exceptions, and keeps the alerts in SQLite. Serves a REST API over HTTP/1.1.

        Usage: detectd [options]

        Options (each also read from its environment variable; a flag wins):

        """
        for option in options {
            let usage = option.isSwitch ? "\(option.flag)[=\(option.valueName)]" : "\(option.flag) \(option.valueName)"
            text += "  \(usage)\n      \(option.help)\n      Environment: \(option.environment)\n"
        }
        text += "  --help\n      Print this help and exit.\n"
        text += "\nCommands:\n  detectd health [--listen HOST:PORT] [--timeout SECONDS]\n      Query GET /ready on the local port; exit 0 when ready, 1 otherwise.\n"
        return text
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
