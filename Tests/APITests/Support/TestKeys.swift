@testable import API

/// API keys for the authentication tests, with secrets fixed so that a failure is easy to
/// reproduce with curl.
enum TestKeys {
    /// Returns the secret of the test key `name`.
    static func secret(_ name: String) -> String {
        "detectd_test-secret-for-\(name)-0123456789"
    }

    static func key(_ name: String, _ scopes: Set<AccessScope>) -> APIKey {
        APIKey(name: name, scopes: scopes, secret: secret(name))
    }

    /// A key with every scope, and for each scope a key with only that scope and one with all
    /// the others: "admin", "only-evaluate", "all-but-evaluate", and so on.
    static var all: [APIKey] {
        var keys = [key("admin", Set(AccessScope.allCases))]
        for scope in AccessScope.allCases {
            keys.append(key("only-\(scope.rawValue)", [scope]))
            keys.append(key("all-but-\(scope.rawValue)", Set(AccessScope.allCases).subtracting([scope])))
        }
        return keys
    }

    static func authorization(_ name: String, scheme: String = "ApiKey") -> [String: String] {
        ["Authorization": "\(scheme) \(secret(name))"]
    }
}
