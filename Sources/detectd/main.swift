import API
import Detection
import Dispatch
import Foundation
import HTTPServer
import Logging
import Storage

/// Writes `message` to standard error and exits with status 2 (a usage or start-up error).
func exitWithError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("detectd: \(message)\n".utf8))
    exit(2)
}

/// Prints the version line of `detectd --version` and `detectd version`.
func printVersion() {
    print("detectd \(detectdVersion)")
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "version" {
    guard arguments.count == 1 else {
        exitWithError("the version command takes no arguments, but got '\(arguments[1])'")
    }
    printVersion()
    exit(0)
}
if arguments.first == "keys" {
    exit(KeysCommand.run(arguments: Array(arguments.dropFirst())))
}
if arguments.first == "health" {
    exit(HealthCommand.run(arguments: Array(arguments.dropFirst()), environment: ProcessInfo.processInfo.environment))
}

let configuration: Configuration
do {
    configuration = try Configuration.parse(arguments: arguments, environment: ProcessInfo.processInfo.environment)
} catch {
    exitWithError(error.message)
}
if configuration.showHelp {
    print(Configuration.helpText, terminator: "")
    exit(0)
}
if configuration.showVersion {
    printVersion()
    exit(0)
}

let logger = Logger(label: "detectd", level: configuration.logLevel, format: configuration.logFormat)
guard let stopSignals = StopSignals.install(logger: logger) else {
    exitWithError("could not install the SIGINT and SIGTERM handlers: \(String(cString: strerror(errno)))")
}

let apiKeys: [APIKey]
do {
    apiKeys = try StartupAccessControl.keys(for: configuration)
} catch {
    logger.critical("access control configuration rejected", ["address": configuration.host, "error": error.message])
    exitWithError(error.message)
}
if configuration.insecureNoAuth {
    logger.warning(
        "authentication is disabled by --insecure-no-auth: anyone who reaches detectd can change exceptions and silence alerts", ["address": configuration.host]
    )
}

let rule: CompiledRule
do {
    let loaded = try configuration.rulePath.map { try Rule.load(contentsOf: URL(fileURLWithPath: $0)) } ?? Rule.bundled()
    rule = try CompiledRule(loaded)
} catch {
    logger.critical("rule could not be loaded", ["rule_file": configuration.rulePath ?? "bundled", "error": "\(error)"])
    exitWithError("rule could not be loaded: \(error)")
}

let database: Database
do {
    database = try Database(
        configuration: DatabaseConfiguration(path: configuration.databasePath, synchronous: configuration.synchronous), logger: logger)
} catch {
    logger.critical("database could not be opened", ["path": configuration.databasePath, "error": "\(error)"])
    exitWithError("database \(configuration.databasePath) could not be opened: \(error)")
}

let server: HTTPServer
do {
    let authenticator = apiKeys.isEmpty ? nil : Authenticator(keys: apiKeys, logger: logger, maxFailures: configuration.authFailureLimit)
    let service = try await DetectionService(
        rule: rule, database: database, logger: logger, limits: configuration.limits.eventDecoderLimits, authenticator: authenticator,
        accessLog: configuration.accessLog)
    var serverConfiguration = HTTPServerConfiguration()
    serverConfiguration.host = configuration.host
    serverConfiguration.port = configuration.port
    configuration.limits.apply(to: &serverConfiguration)
    // In-flight requests get 8 s after SIGTERM, so that closing the database still fits in the
    // 10 s that `docker stop` and `podman stop` wait before they send SIGKILL.
    serverConfiguration.shutdownGracePeriod = .seconds(8)
    service.configure(&serverConfiguration)
    server = HTTPServer(configuration: serverConfiguration, router: service.makeRouter(), logger: logger)
    service.observe(server)
    let port = try server.start()
    stopSignals.serve(server)
    logger.info(
        "detectd started",
        [
            "address": "\(configuration.host):\(port)", "database": configuration.databasePath,
            "rule_id": rule.rule.ruleID, "rule_version": "\(rule.rule.version)",
            "authentication": apiKeys.isEmpty ? "disabled" : "api_keys", "api_keys": "\(apiKeys.count)",
        ])
} catch {
    logger.critical("detectd could not start", ["error": "\(error)"])
    database.close()
    exitWithError("could not start: \(error)")
}

let retention = configuration.retentionDays.map { RetentionScheduler(database: database, days: $0, logger: logger) }
retention?.start()

await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
    Thread.detachNewThread {
        server.wait()
        continuation.resume()
    }
}
retention?.stop()
database.close()
logger.info("detectd stopped")
