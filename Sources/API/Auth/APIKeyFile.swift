import Detection
import Foundation

/// The keys file given with `--api-keys`: a JSON object whose `keys` array lists each key's
/// name, scopes and the SHA-256 of its secret in hexadecimal.
///
///     {"keys": [
///       {"name": "winlogbeat", "scopes": ["evaluate"], "sha256": "9f86d0…"},
///       {"name": "soc-analyst", "scopes": ["read", "manage"], "sha256": "2c26b4…"}
///     ]}
///
/// A file that holds anything else, such as a `secret` member, is rejected, so that a secret
/// pasted into it by mistake stops start-up instead of sitting there unnoticed.
public enum APIKeyFile {
    public static func load(path: String) throws(APIKeyFileError) -> [APIKey] {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw APIKeyFileError(path: path, pointer: nil, message: "does not exist\(resolvedNote(path, url)). \(createHint)")
        }
        guard !isDirectory.boolValue else {
            throw APIKeyFileError(path: path, pointer: nil, message: "is a directory\(resolvedNote(path, url)); give the path of the keys file itself")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch CocoaError.fileReadNoPermission {
            // NOTE: no test reaches this branch, because the tests run as root, which reads any file.
            throw APIKeyFileError(
                path: path, pointer: nil, message: "cannot be read: permission denied; make it readable by the user detectd runs as")
        } catch {
            throw APIKeyFileError(path: path, pointer: nil, message: "cannot be read: \((error as NSError).localizedDescription)")
        }
        return try parse(Array(data), path: path)
    }

    static let createHint =
        "Check the --api-keys path (or DETECTD_API_KEYS), or create the file: run detectd keys create --name NAME --scope evaluate,read "
        + "and put the entry it prints into {\"keys\": [ENTRY]}"

    /// Returns " (resolved to /absolute/path)" for a relative `path`, so that the message shows
    /// which working directory the path was read against.
    private static func resolvedNote(_ path: String, _ url: URL) -> String {
        path.hasPrefix("/") ? "" : " (resolved to \(url.path))"
    }

    public static func parse(_ bytes: [UInt8], path: String) throws(APIKeyFileError) -> [APIKey] {
        if let syntaxError = JSONValidation.firstError(in: bytes) {
            throw APIKeyFileError(path: path, pointer: nil, message: "is not valid JSON: \(syntaxError.description)")
        }
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw APIKeyFileError(path: path, pointer: "", message: "must be a JSON object with a \"keys\" array")
        }
        try rejectUnknownMembers(of: root, allowed: ["keys"], at: "", path: path)
        guard let entries = root["keys"] as? [Any] else {
            throw APIKeyFileError(path: path, pointer: "/keys", message: "must be an array of keys")
        }
        guard !entries.isEmpty else {
            throw APIKeyFileError(
                path: path, pointer: "/keys", message: "lists no keys; create one with: detectd keys create --name NAME --scope evaluate,read")
        }

        var keys: [APIKey] = []
        for (index, entry) in entries.enumerated() {
            let key = try parseEntry(entry, at: "/keys/\(index)", path: path)
            if keys.contains(where: { $0.name == key.name }) {
                throw APIKeyFileError(path: path, pointer: "/keys/\(index)/name", message: "repeats the key name '\(key.name)'; key names must be unique")
            }
            if keys.contains(where: { $0.secretDigest == key.secretDigest }) {
                throw APIKeyFileError(path: path, pointer: "/keys/\(index)/sha256", message: "repeats the digest of another key; give every key its own secret")
            }
            keys.append(key)
        }
        return keys
    }

    private static func parseEntry(_ entry: Any, at pointer: String, path: String) throws(APIKeyFileError) -> APIKey {
        guard let object = entry as? [String: Any] else {
            throw APIKeyFileError(path: path, pointer: pointer, message: "must be an object with name, scopes and sha256")
        }
        try rejectUnknownMembers(of: object, allowed: ["name", "scopes", "sha256"], at: pointer, path: path)

        guard let name = object["name"] as? String else {
            throw APIKeyFileError(path: path, pointer: pointer + "/name", message: "must be a string")
        }
        if let reason = APIKey.invalidNameReason(name) {
            throw APIKeyFileError(path: path, pointer: pointer + "/name", message: "is not a valid key name: \(reason)")
        }

        guard let scopeNames = object["scopes"] as? [String], !scopeNames.isEmpty else {
            throw APIKeyFileError(path: path, pointer: pointer + "/scopes", message: "must be a non-empty array of \(AccessScope.namesList)")
        }
        var scopes: Set<AccessScope> = []
        for (index, scopeName) in scopeNames.enumerated() {
            guard let scope = AccessScope(rawValue: scopeName) else {
                throw APIKeyFileError(path: path, pointer: pointer + "/scopes/\(index)", message: UnknownScope(name: scopeName).description)
            }
            scopes.insert(scope)
        }

        guard let hex = object["sha256"] as? String, let digest = digestBytes(hex) else {
            throw APIKeyFileError(
                path: path, pointer: pointer + "/sha256",
                message: "must be the SHA-256 of the secret as 64 hexadecimal digits; detectd keys create prints it")
        }
        return APIKey(name: name, scopes: scopes, secretDigest: digest)
    }

    /// Names unknown members without echoing their values, which may be secrets.
    private static func rejectUnknownMembers(of object: [String: Any], allowed: Set<String>, at pointer: String, path: String) throws(APIKeyFileError) {
        guard let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) else { return }
        var message = "has the unknown member '\(unknown.prefix(40))'; allowed: \(allowed.sorted().joined(separator: ", "))"
        if unknown.lowercased().contains("secret") || unknown.lowercased() == "key" {
            message += ". A keys file holds only the SHA-256 of a secret, never the secret itself"
        }
        throw APIKeyFileError(path: path, pointer: pointer + "/" + unknown.prefix(40), message: message)
    }

    private static func digestBytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.lowercased().utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

/// A keys file that cannot be used: the file, the JSON pointer of the offending member (nil
/// when the whole file is at fault) and what is wrong. It never contains a member's value.
public struct APIKeyFileError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let pointer: String?
    public let message: String

    public var description: String {
        if let pointer {
            return "keys file \(path): \(pointer.isEmpty ? "the document" : pointer) \(message)"
        }
        return "keys file \(path) \(message)"
    }
}
