import Detection
import Foundation

/// A client credential: the name recorded as the actor of its changes, the scopes it grants,
/// and the SHA-256 digest of its secret. detectd never keeps the secret itself.
public struct APIKey: Sendable, Equatable {
    public let name: String
    public let scopes: Set<AccessScope>
    /// The SHA-256 digest (32 bytes) of the secret's UTF-8 bytes.
    public let secretDigest: [UInt8]

    public init(name: String, scopes: Set<AccessScope>, secretDigest: [UInt8]) {
        self.name = name
        self.scopes = scopes
        self.secretDigest = secretDigest
    }

    public init(name: String, scopes: Set<AccessScope>, secret: String) {
        self.init(name: name, scopes: scopes, secretDigest: SHA256.hash(secret.utf8))
    }

    /// The prefix of generated secrets, so that a leaked one is easy to recognise and search for.
    public static let secretPrefix = "detectd_"

    /// The shortest secret accepted from `DETECTD_API_KEY`; generated secrets are 51 characters.
    public static let minimumSecretLength = 24

    /// Returns a new secret: `secretPrefix` followed by 32 random bytes in unpadded base64url
    /// (RFC 4648, section 5), from the system's cryptographically secure generator.
    public static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return secretPrefix + base64URL(bytes)
    }

    /// Returns why `name` cannot name a key, or nil when it can. Names are 1 to 64 letters,
    /// digits, '.', '_' or '-', so that they are safe in logs, audit records and problem bodies.
    public static func invalidNameReason(_ name: String) -> String? {
        if name.isEmpty {
            return "a key name must not be empty"
        }
        if name.utf8.count > 64 {
            return "a key name has at most 64 characters"
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
        return allowed ? nil : "a key name contains only letters, digits, '.', '_' and '-'"
    }

    /// The key's entry in a keys file, as one line of JSON.
    public var keysFileEntry: String {
        var json = JSONWriter()
        json.beginObject()
        json.key("name"); json.string(name)
        json.key("scopes")
        json.beginArray()
        for scope in AccessScope.allCases where scopes.contains(scope) {
            json.string(scope.rawValue)
        }
        json.endArray()
        json.key("sha256"); json.string(SHA256.hexString(secretDigest))
        json.endObject()
        return json.text
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for byte in chunk { value = value << 8 | UInt32(byte) }
            value <<= UInt32(8 * (3 - chunk.count))
            for position in 0...chunk.count {
                output.append(alphabet[Int((value >> UInt32(18 - 6 * position)) & 0x3f)])
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// What a client may do: post events, read alerts, exceptions, the rule, the audit trail and
/// metrics, or change exceptions and alert status.
public enum AccessScope: String, Sendable, CaseIterable, Comparable {
    case evaluate, read, manage

    public static func < (lhs: AccessScope, rhs: AccessScope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a comma-separated list such as "evaluate,read"; returns the first unknown name
    /// as the failure.
    public static func parseList(_ text: String) -> Result<Set<AccessScope>, UnknownScope> {
        var scopes: Set<AccessScope> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard let scope = AccessScope(rawValue: name) else {
                return .failure(UnknownScope(name: name))
            }
            scopes.insert(scope)
        }
        return .success(scopes)
    }

    public static var namesList: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }
}

/// A scope name that is not `evaluate`, `read` or `manage`.
public struct UnknownScope: Error, Equatable, CustomStringConvertible {
    public let name: String

    public var description: String {
        "unknown scope '\(name.prefix(40))'; use \(AccessScope.namesList)"
    }
}
