import HTTPServer
import Testing

@testable import API

@Suite("Configuration flags")
struct ConfigurationFlagTests {
    @Test("auth failure limit from flag and environment")
    func authFailureLimit() throws {
        #expect(try Configuration.parse(arguments: [], environment: [:]).authFailureLimit == 20)
        #expect(try Configuration.parse(arguments: ["--auth-failure-limit", "5"], environment: [:]).authFailureLimit == 5)
        #expect(try Configuration.parse(arguments: [], environment: ["DETECTD_AUTH_FAILURE_LIMIT": "7"]).authFailureLimit == 7)
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(arguments: ["--auth-failure-limit", "0"], environment: [:])
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(arguments: ["--auth-failure-limit", "many"], environment: [:])
        }
    }

    @Test("limit flags set server limits")
    func limitFlags() throws {
        let defaults = try Configuration.parse(arguments: [], environment: [:]).limits
        #expect(defaults == ServerLimits())
        #expect(defaults.maxBodyBytes == 16 * 1024 * 1024)
        #expect(defaults.maxEvents == 100_000)

        let configuration = try Configuration.parse(
            arguments: [
                "--max-body-bytes", "2048", "--max-events", "10", "--max-header-bytes", "4096", "--max-header-fields", "20",
                "--max-target-bytes", "512", "--max-connections", "8", "--head-timeout", "3", "--body-timeout", "4",
            ],
            environment: ["DETECTD_IDLE_TIMEOUT": "5"])
        var server = HTTPServerConfiguration()
        configuration.limits.apply(to: &server)
        #expect(server.maxBodyBytes == 2048)
        #expect(server.maxHeaderBytes == 4096)
        #expect(server.maxHeaderCount == 20)
        #expect(server.maxRequestTargetBytes == 512)
        #expect(server.maxConnections == 8)
        #expect(server.headTimeout == .seconds(3))
        #expect(server.bodyTimeout == .seconds(4))
        #expect(server.idleTimeout == .seconds(5))
        #expect(configuration.limits.eventDecoderLimits.maxEvents == 10)
    }

    @Test("limit flags reject bad values")
    func limitFlagErrors() {
        for arguments in [["--max-body-bytes", "0"], ["--max-events", "-1"], ["--idle-timeout", "1e3"], ["--max-connections", "lots"]] {
            #expect(throws: ConfigurationError.self, "\(arguments)") {
                try Configuration.parse(arguments: arguments, environment: [:])
            }
        }
    }
}
