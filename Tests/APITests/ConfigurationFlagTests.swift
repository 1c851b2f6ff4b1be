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
}
