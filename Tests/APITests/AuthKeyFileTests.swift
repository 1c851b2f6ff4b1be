import Detection
import Foundation
import Testing

@testable import API

@Suite("Keys file and key helpers")
struct AuthKeyFileTests {
    static let digest = SHA256.hexDigest("detectd_example-secret-000000000000000")

    func parse(_ text: String) throws(APIKeyFileError) -> [APIKey] {
        try APIKeyFile.parse(Array(text.utf8), path: "keys.json")
    }

    func error(_ text: String) -> APIKeyFileError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("valid file with two keys")
    func validFile() throws {
        let other = SHA256.hexDigest("another-secret-0000000000000000000")
        let keys = try parse(
            #"{"keys":[{"name":"winlogbeat","scopes":["evaluate"],"sha256":"\#(Self.digest)"},{"name":"soc.analyst","scopes":["read","manage"],"sha256":"\#(other.uppercased())"}]}"#
        )
        #expect(keys.count == 2)
        #expect(keys[0].name == "winlogbeat")
        #expect(keys[0].scopes == [.evaluate])
        #expect(keys[1].scopes == [.read, .manage])
        #expect(keys[0].secretDigest == SHA256.hash("detectd_example-secret-000000000000000".utf8))
    }

    @Test("secret member is rejected unquoted")
    func secretMember() {
        let failure = error(#"{"keys":[{"name":"a","scopes":["read"],"sha256":"\#(Self.digest)","secret":"hunter2-hunter2-hunter2"}]}"#)
        #expect(failure?.pointer == "/keys/0/secret")
        #expect(failure?.description.contains("never the secret itself") == true)
        #expect(failure?.description.contains("hunter2") == false)
    }

    @Test("invalid entries name their pointer")
    func invalidEntries() {
        #expect(error(#"{"keys":[{"name":"a","scopes":["read"],"sha256":"abc"}]}"#)?.pointer == "/keys/0/sha256")
        #expect(error(#"{"keys":[{"name":"a","scopes":["write"],"sha256":"\#(Self.digest)"}]}"#)?.pointer == "/keys/0/scopes/0")
        #expect(error(#"{"keys":[{"name":"a","scopes":[],"sha256":"\#(Self.digest)"}]}"#)?.pointer == "/keys/0/scopes")
        #expect(error(#"{"keys":[{"name":"a b","scopes":["read"],"sha256":"\#(Self.digest)"}]}"#)?.pointer == "/keys/0/name")
        #expect(error(#"{"keys":[]}"#)?.pointer == "/keys")
        #expect(error(#"[]"#)?.pointer == "")
        #expect(error(#"{"keys":[}"#)?.pointer == nil)
    }

    @Test("unreadable paths name the cause")
    func unreadablePaths() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("detectd-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let missing = folder.appendingPathComponent("keys.json").path
        #expect(throws: APIKeyFileError(path: missing, pointer: nil, message: "does not exist. \(APIKeyFile.createHint)")) {
            try APIKeyFile.load(path: missing)
        }
        #expect(throws: APIKeyFileError(path: folder.path, pointer: nil, message: "is a directory; give the path of the keys file itself")) {
            try APIKeyFile.load(path: folder.path)
        }

        let relative = "no-such-dir-\(UUID().uuidString)/keys.json"
        let resolved = FileManager.default.currentDirectoryPath + "/" + relative
        #expect(throws: APIKeyFileError(path: relative, pointer: nil, message: "does not exist (resolved to \(resolved)). \(APIKeyFile.createHint)")) {
            try APIKeyFile.load(path: relative)
        }
    }

    @Test("repeated names and digests are rejected")
    func duplicates() {
        let entry = #"{"name":"a","scopes":["read"],"sha256":"\#(Self.digest)"}"#
        let sameName = #"{"name":"a","scopes":["read"],"sha256":"\#(SHA256.hexDigest("x"))"}"#
        let sameDigest = #"{"name":"b","scopes":["read"],"sha256":"\#(Self.digest)"}"#
        #expect(error(#"{"keys":[\#(entry),\#(sameName)]}"#)?.pointer == "/keys/1/name")
        #expect(error(#"{"keys":[\#(entry),\#(sameDigest)]}"#)?.pointer == "/keys/1/sha256")
    }

    @Test("key names")
    func keyNames() {
        #expect(APIKey.invalidNameReason("winlogbeat-01.prod_eu") == nil)
        #expect(APIKey.invalidNameReason(String(repeating: "a", count: 64)) == nil)
        #expect(APIKey.invalidNameReason(String(repeating: "a", count: 65)) != nil)
        #expect(APIKey.invalidNameReason("") != nil)
        #expect(APIKey.invalidNameReason("name with space") != nil)
        #expect(APIKey.invalidNameReason("é") != nil)
        #expect(APIKey.invalidNameReason("a\"b") != nil)
    }

    @Test("generated secrets are distinct and base64url")
    func generatedSecrets() {
        let first = APIKey.generateSecret()
        let second = APIKey.generateSecret()
        #expect(first != second)
        #expect(first.hasPrefix("detectd_"))
        #expect(first.count == "detectd_".count + 43)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(first.dropFirst("detectd_".count).allSatisfy { alphabet.contains($0) })
    }

    @Test("entry line parses back as the same key")
    func entryRoundTrip() throws {
        let key = APIKey(name: "shipper", scopes: [.read, .evaluate], secret: "detectd_round-trip-secret-000000000000")
        #expect(key.keysFileEntry.contains(#""scopes":["evaluate","read"]"#))
        let parsed = try parse(#"{"keys":[\#(key.keysFileEntry)]}"#)
        #expect(parsed == [key])
    }

    @Test("scope lists")
    func scopeLists() throws {
        #expect(try AccessScope.parseList("evaluate, read").get() == [.evaluate, .read])
        #expect(try AccessScope.parseList("manage").get() == [.manage])
        #expect(throws: UnknownScope(name: "write")) { try AccessScope.parseList("read,write").get() }
        #expect(throws: UnknownScope(name: "")) { try AccessScope.parseList("").get() }
    }

    @Test("credential parsing")
    func credentials() {
        #expect(isSecret(Credential.parse(["ApiKey abc"]), "abc"))
        #expect(isSecret(Credential.parse(["Bearer   abc  "]), "abc"))
        #expect(isSecret(Credential.parse(["bearer abc"]), "abc"))
        #expect(isMissing(Credential.parse([])))
        #expect(isMalformed(Credential.parse(["ApiKey"])))
        #expect(isMalformed(Credential.parse(["Basic YWxhZGRpbjpvcGVuc2VzYW1l"])))
        #expect(isMalformed(Credential.parse(["ApiKey a", "ApiKey b"])))
        #expect(isMalformed(Credential.parse([""])))
    }

    private func isSecret(_ parsed: Credential.Parsed, _ secret: String) -> Bool {
        if case .secret(let credential) = parsed { return credential.digest == SHA256.hash(secret.utf8) }
        return false
    }

    private func isMissing(_ parsed: Credential.Parsed) -> Bool {
        if case .missing = parsed { return true }
        return false
    }

    private func isMalformed(_ parsed: Credential.Parsed) -> Bool {
        if case .malformed = parsed { return true }
        return false
    }
}
