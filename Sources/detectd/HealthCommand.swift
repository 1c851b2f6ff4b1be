import API
import Foundation

/// `detectd health`: queries `GET /ready` of the detectd listening at `--listen` (or
/// `DETECTD_LISTEN`, else 127.0.0.1:8080), for a container `HEALTHCHECK`.
///
/// Exits 0 when `GET /ready` returns 200 and 1 otherwise, usage errors included, because
/// Docker reads 1 as unhealthy and reserves 2.
enum HealthCommand {
    static let usage = """
        Usage: detectd health [--listen HOST:PORT] [--timeout SECONDS]

        Sends GET /ready to detectd on this host and exits 0 when it returns 200, 1 otherwise.
          --listen HOST:PORT   the address detectd listens on; 0.0.0.0 and :: are queried on
                               loopback. Environment: DETECTD_LISTEN. Default: 127.0.0.1:8080.
          --timeout SECONDS    time allowed for the whole request. Default: 3.

        """

    struct Options: Equatable {
        var host = "127.0.0.1"
        var port = 8080
        var timeout = Duration.seconds(3)
        var showHelp = false
    }

    static func parse(arguments: [String], environment: [String: String]) throws(ConfigurationError) -> Options {
        var options = Options()
        if let listen = environment["DETECTD_LISTEN"] {
            (options.host, options.port) = try Configuration.parseListenAddress(listen)
        }
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" {
                options.showHelp = true
                continue
            }
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let flag = parts[0]
            guard flag == "--listen" || flag == "--timeout" else {
                throw ConfigurationError("unknown option '\(argument)' for detectd health; run detectd health --help")
            }
            guard let value = parts.count > 1 ? parts[1] : remaining.popFirst() else {
                throw ConfigurationError("\(flag) needs a value")
            }
            if flag == "--listen" {
                (options.host, options.port) = try Configuration.parseListenAddress(value)
            } else {
                guard let seconds = Double(value), seconds > 0, seconds <= 60 else {
                    throw ConfigurationError("invalid --timeout '\(value)'; use a number of seconds from 0.1 to 60")
                }
                options.timeout = .milliseconds(Int64((seconds * 1000).rounded()))
            }
        }
        return options
    }

    /// Runs the check and returns the exit status. It prints one line, to standard output when
    /// ready and to standard error when not, and Docker keeps that line in the health log.
    static func run(arguments: [String], environment: [String: String]) -> Int32 {
        let options: Options
        do {
            options = try parse(arguments: arguments, environment: environment)
        } catch {
            printError("detectd health: \(error.message)")
            return 1
        }
        if options.showHelp {
            print(usage, terminator: "")
            return 0
        }

        let probe = HealthProbe(
            host: HealthProbe.connectHost(forListenHost: options.host), port: options.port, timeout: options.timeout)
        do {
            let response = try probe.run()
            guard response.status == 200 else {
                printError("detectd health: not ready: GET /ready on \(probe.address) returned \(response.status): \(response.body.prefix(300))")
                return 1
            }
            print("detectd health: ready (\(probe.address))")
            return 0
        } catch {
            printError("detectd health: not ready: \(error)")
            return 1
        }
    }

    private static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
