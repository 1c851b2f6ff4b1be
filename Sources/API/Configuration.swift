import Foundation
import Logging
import Storage

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
    /// The keys file (`--api-keys`); see `APIKeyFile` for its format.
    public var apiKeysPath: String?
    /// The SHA-256 digest of `DETECTD_API_KEY`, a key with every scope. The secret itself is
    /// not kept, so that the configuration can be printed or compared without revealing it.
    public var environmentKeyDigest: [UInt8]?
    /// Serve without authentication on any address (`--insecure-no-auth`).
    public var insecureNoAuth = false
    /// Wrong API keys from one client address within a minute before it gets 429.
    public var authFailureLimit = 20
    /// `PRAGMA synchronous` of the writer: FULL makes every 2xx durable across power loss.
    public var synchronous = DatabaseConfiguration.Synchronous.full
    /// Closed alerts older than this many days are deleted in the background; nil keeps them.
    public var retentionDays: Int?
    /// Writes one `info` line per request once its response is ready.
    public var accessLog = false
    /// Request and connection limits; see `ServerLimits` for the flags that set them.
    public var limits = ServerLimits()
    public var showHelp = false
    /// `--version`: print `detectdVersion` and exit.
    public var showVersion = false

    public init() {}

    /// One setting: its flag, environment variable, value name and help text. An option with an
    /// empty `valueName` is a switch: the flag alone sets it, and its environment variable and
    /// `--flag=VALUE` take true, false, 1, 0, yes or no.
    struct Option: Sendable {
        let flag: String
        let environment: String
        let valueName: String
        let help: String
        let apply: @Sendable (inout Configuration, String) throws(ConfigurationError) -> Void

        var isSwitch: Bool { valueName.isEmpty }
    }

    /// Makes an option that sets one whole-number limit within `range`.
    static func limitOption(
        _ flag: String,
        _ environment: String,
        _ valueName: String,
        range: ClosedRange<Int>,
        help: String,
        _ set: @escaping @Sendable (inout ServerLimits, Int) -> Void
    ) -> Option {
        Option(flag: flag, environment: environment, valueName: valueName, help: help) { configuration, value throws(ConfigurationError) in
            guard value.allSatisfy({ $0.isASCII && $0.isNumber }), value.count <= 10, let number = Int(value), range.contains(number) else {
                throw ConfigurationError(
                    "invalid value '\(value.prefix(40))' for \(flag); use a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            set(&configuration.limits, number)
        }
    }

    /// The environment variable that contains one API key's secret, with every scope. It has no
    /// flag, because command lines are visible to every user of the host.
    static let apiKeyEnvironment = "DETECTD_API_KEY"

    static let options: [Option] = [
        Option(
            flag: "--listen", environment: "DETECTD_LISTEN", valueName: "HOST:PORT",
            help: "Address and TCP port to serve HTTP on; port 0 picks a free port. Default: 127.0.0.1:8080."
        ) { configuration, value throws(ConfigurationError) in
            (configuration.host, configuration.port) = try parseListenAddress(value)
        },
        Option(
            flag: "--database", environment: "DETECTD_DATABASE", valueName: "PATH",
            help: "SQLite database file; its folder is created if missing. Default: ./data/detectd.sqlite."
        ) { configuration, value throws(ConfigurationError) in
            guard !value.isEmpty else { throw ConfigurationError("--database needs a file path") }
            configuration.databasePath = value
        },
        Option(
            flag: "--rule", environment: "DETECTD_RULE", valueName: "FILE",
            help: "Detection rule in Kibana's rule format (an EQL rule). Default: the bundled Port Forwarding Rule Addition, version 6."
        ) { configuration, value throws(ConfigurationError) in
            guard !value.isEmpty else { throw ConfigurationError("--rule needs a file path") }
            configuration.rulePath = value
        },
        Option(
            flag: "--synchronous", environment: "DETECTD_SYNCHRONOUS", valueName: "MODE",
            help:
                "SQLite synchronous mode: FULL syncs the log on every commit, so a 2xx survives power loss; NORMAL syncs at checkpoints only and may lose the last commits on power loss (not on a crash of detectd). Default: FULL."
        ) { configuration, value throws(ConfigurationError) in
            guard let mode = DatabaseConfiguration.Synchronous(rawValue: value.uppercased()) else {
                throw ConfigurationError("invalid synchronous mode '\(value)'; use FULL or NORMAL")
            }
            configuration.synchronous = mode
        },
        Option(
            flag: "--retention-days", environment: "DETECTD_RETENTION_DAYS", valueName: "DAYS",
            help: "Delete closed alerts whose time is more than DAYS days ago, hourly in the background (1 to 36500). Default: off, alerts are kept."
        ) { configuration, value throws(ConfigurationError) in
            guard value.allSatisfy({ $0.isASCII && $0.isNumber }), let days = Int(value), (1...36_500).contains(days) else {
                throw ConfigurationError("invalid --retention-days '\(value)'; use a whole number of days from 1 to 36500")
            }
            configuration.retentionDays = days
        },
        Option(
            flag: "--log-level", environment: "DETECTD_LOG_LEVEL", valueName: "LEVEL",
            help: "Lowest level logged: trace, debug, info, notice, warning, error or critical. Default: info."
        ) { configuration, value throws(ConfigurationError) in
            guard let level = Logger.Level(name: value) else {
                throw ConfigurationError("invalid log level '\(value)'; use trace, debug, info, notice, warning, error or critical")
            }
            configuration.logLevel = level
        },
        Option(
            flag: "--log-format", environment: "DETECTD_LOG_FORMAT", valueName: "FORMAT",
            help: "Log line format on standard error: text or json. Default: text."
        ) { configuration, value throws(ConfigurationError) in
            guard let format = Logger.Format(rawValue: value.lowercased()) else {
                throw ConfigurationError("invalid log format '\(value)'; use text or json")
            }
            configuration.logFormat = format
        },
        Option(
            flag: "--api-keys", environment: "DETECTD_API_KEYS", valueName: "FILE",
            help: "JSON file of API keys: each key's name, scopes and the SHA-256 of its secret. Create entries with: detectd keys create. Default: none."
        ) { configuration, value throws(ConfigurationError) in
            guard !value.isEmpty else { throw ConfigurationError("--api-keys needs a file path") }
            configuration.apiKeysPath = value
        },
        Option(
            flag: "--insecure-no-auth", environment: "DETECTD_INSECURE_NO_AUTH", valueName: "",
            help:
                "Serve every route without an API key, also on a non-loopback address. Anyone who reaches detectd can then add exceptions that silence alerts. Default: off."
        ) { configuration, value throws(ConfigurationError) in
            configuration.insecureNoAuth = try parseSwitch(value, name: "--insecure-no-auth")
        },
        limitOption(
            "--max-body-bytes", "DETECTD_MAX_BODY_BYTES", "BYTES", range: 1_024...1_073_741_824,
            help: "Maximum request body size in bytes, as sent and again after gzip or deflate decoding. A larger body gets 413. Default: 16777216 (16 MiB)."
        ) { $0.maxBodyBytes = $1 },
        limitOption(
            "--max-events", "DETECTD_MAX_EVENTS", "COUNT", range: 1...10_000_000,
            help: "Maximum number of events (and invalid items) in one POST /evaluate body. More get 400 with limit max_events. Default: 100000."
        ) { $0.maxEvents = $1 },
        limitOption(
            "--max-header-bytes", "DETECTD_MAX_HEADER_BYTES", "BYTES", range: 1_024...1_048_576,
            help: "Maximum request header section size in bytes. A larger one gets 431. Default: 16384."
        ) { $0.maxHeaderBytes = $1 },
        limitOption(
            "--max-header-fields", "DETECTD_MAX_HEADER_FIELDS", "COUNT", range: 8...10_000,
            help: "Maximum number of field lines in a request header section. More get 431. Default: 100."
        ) { $0.maxHeaderFields = $1 },
        limitOption(
            "--max-target-bytes", "DETECTD_MAX_TARGET_BYTES", "BYTES", range: 256...1_048_576,
            help: "Maximum request target (path and query) length in bytes. A longer one gets 414. Default: 8192."
        ) { $0.maxTargetBytes = $1 },
        limitOption(
            "--max-connections", "DETECTD_MAX_CONNECTIONS", "COUNT", range: 1...1_000_000,
            help: "Maximum number of open client connections. A new connection past it gets 503 and is closed. Default: 1024."
        ) { $0.maxConnections = $1 },
        limitOption(
            "--head-timeout", "DETECTD_HEAD_TIMEOUT", "SECONDS", range: 1...3_600,
            help: "Seconds to receive a whole request head, from its first byte, before 408 and close. Default: 10."
        ) { $0.headTimeoutSeconds = $1 },
        limitOption(
            "--body-timeout", "DETECTD_BODY_TIMEOUT", "SECONDS", range: 1...3_600,
            help: "Seconds to receive a request body after its head, before 408 and close. Default: 30."
        ) { $0.bodyTimeoutSeconds = $1 },
        limitOption(
            "--idle-timeout", "DETECTD_IDLE_TIMEOUT", "SECONDS", range: 1...3_600,
            help: "Seconds an idle keep-alive connection stays open, advertised in Keep-Alive. Default: 60."
        ) { $0.idleTimeoutSeconds = $1 },
        Option(
            flag: "--auth-failure-limit", environment: "DETECTD_AUTH_FAILURE_LIMIT", valueName: "COUNT",
            help:
                "Wrong API keys accepted from one client address within 60 seconds; the next request gets 429 until the window passes. Default: 20."
        ) { configuration, value throws(ConfigurationError) in
            guard let count = Int(value), (1...1_000_000).contains(count) else {
                throw ConfigurationError("invalid value '\(value.prefix(40))' for --auth-failure-limit; use a whole number from 1 to 1000000")
            }
            configuration.authFailureLimit = count
        },
        Option(
            flag: "--access-log", environment: "DETECTD_ACCESS_LOG", valueName: "",
            help: "Log one info line per request with its method, path, route, status, duration, sizes, client address and request id. Default: off."
        ) { configuration, value throws(ConfigurationError) in
            configuration.accessLog = try parseSwitch(value, name: "--access-log")
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
        if let secret = environment[apiKeyEnvironment] {
            configuration.environmentKeyDigest = try digestOfEnvironmentKey(secret)
        }
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" {
                configuration.showHelp = true
                continue
            }
            if argument == "--version" {
                configuration.showVersion = true
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
            if option.isSwitch {
                try option.apply(&configuration, value ?? "true")
                continue
            }
            if value == nil { value = remaining.popFirst() }
            guard let value else {
                throw ConfigurationError("\(flag) needs a value (\(option.valueName))")
            }
            try option.apply(&configuration, value)
        }
        return configuration
    }

    static func parseSwitch(_ value: String, name: String) throws(ConfigurationError) -> Bool {
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off", "": return false
        default: throw ConfigurationError("invalid value '\(value.prefix(40))' for \(name); use true or false")
        }
    }

    /// Returns the SHA-256 of the `DETECTD_API_KEY` secret. A short secret is rejected, and the
    /// error never quotes it.
    static func digestOfEnvironmentKey(_ secret: String) throws(ConfigurationError) -> [UInt8] {
        guard secret.count >= APIKey.minimumSecretLength else {
            throw ConfigurationError(
                "\(apiKeyEnvironment) is shorter than \(APIKey.minimumSecretLength) characters; set it to a random secret, "
                    + "such as the one 'detectd keys create --name NAME --scope evaluate,read,manage' prints")
        }
        return APIKey(name: apiKeyEnvironment, scopes: Set(AccessScope.allCases), secret: secret).secretDigest
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
                   detectd keys create --name NAME --scope SCOPES
                   detectd version

            Options (each also read from its environment variable; a flag wins):

            """
        for option in options {
            let usage = option.isSwitch ? option.flag : "\(option.flag) \(option.valueName)"
            text += "  \(usage)\n      \(option.help)\n      Environment: \(option.environment)\n"
        }
        text += "  --help\n      Print this help and exit.\n"
        text += "  --version\n      Print the version of detectd and exit.\n"
        text += """

            Environment only:
              \(apiKeyEnvironment)
                  The secret of one API key with every scope, recorded as actor '\(apiKeyEnvironment)'.
                  At least \(APIKey.minimumSecretLength) characters.

            Without API keys detectd serves only on a loopback address, unless --insecure-no-auth is set.

            Commands:
              detectd health [--listen HOST:PORT] [--timeout SECONDS]
                  Query GET /ready on the local port; exit 0 when ready, 1 otherwise.
              detectd keys create --name NAME --scope SCOPES
                  Print a new API key secret once and the line to add to the keys file.
              detectd version
                  Print the version of detectd, as --version does, and exit.

            """
        return text
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
