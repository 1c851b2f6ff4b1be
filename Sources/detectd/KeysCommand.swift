import API
import Foundation

/// `detectd keys create --name NAME --scope SCOPES`: makes a new API key, prints its secret
/// once and the entry to add to the keys file. detectd keeps only the entry's SHA-256.
enum KeysCommand {
    static let usage = """
        Usage: detectd keys create --name NAME --scope SCOPES

        Creates an API key: prints a new random secret, which is shown only this once, and the
        entry to add to the "keys" array of the keys file passed with --api-keys.

          --name NAME      Name of the key, recorded as the actor of the changes made with it:
                           1 to 64 letters, digits, '.', '_' or '-'.
          --scope SCOPES   Comma-separated scopes: evaluate (post events), read (alerts,
                           exceptions, rule, audit, metrics), manage (exceptions, alert status).

        """

    /// Runs the subcommand; `arguments` follow the word "keys". Returns the exit status.
    static func run(arguments: [String]) -> Int32 {
        guard let action = arguments.first, action != "--help", action != "-h" else {
            print(usage, terminator: "")
            return arguments.isEmpty ? 2 : 0
        }
        guard action == "create" else {
            return fail("unknown keys command '\(action.prefix(40))'; use: detectd keys create --name NAME --scope SCOPES")
        }

        var name: String?
        var scopeList: String?
        var remaining = arguments.dropFirst()
        while let argument = remaining.popFirst() {
            var flag = argument
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                flag = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            if flag == "--help" || flag == "-h" {
                print(usage, terminator: "")
                return 0
            }
            guard flag == "--name" || flag == "--scope" else {
                return fail("unknown option '\(argument.prefix(40))' for keys create; run detectd keys --help")
            }
            guard let given = value ?? remaining.popFirst() else {
                return fail("\(flag) needs a value")
            }
            if flag == "--name" { name = given } else { scopeList = given }
        }

        guard let name else { return fail("keys create needs --name NAME") }
        if let reason = APIKey.invalidNameReason(name) {
            return fail("invalid key name: \(reason)")
        }
        guard let scopeList else { return fail("keys create needs --scope with one or more of: evaluate, read, manage") }
        let scopes: Set<AccessScope>
        switch AccessScope.parseList(scopeList) {
        case .success(let parsed): scopes = parsed
        case .failure(let unknown): return fail(unknown.description)
        }

        let secret = APIKey.generateSecret()
        let key = APIKey(name: name, scopes: scopes, secret: secret)
        print(
            """
            Secret of API key '\(name)' (shown only now; detectd keeps only its SHA-256):
            \(secret)

            Add this entry to the "keys" array of the keys file passed with --api-keys:
            \(key.keysFileEntry)

            Clients send the secret as 'Authorization: ApiKey <secret>' or 'Authorization: Bearer <secret>'.
            """)
        return 0
    }

    private static func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("detectd: \(message)\n".utf8))
        return 2
    }
}
