import Glibc

/// The start-up decision on authentication: which keys detectd requires, and whether it may
/// serve at all on the configured address.
public enum StartupAccessControl {
    /// Returns the keys from the keys file and `DETECTD_API_KEY`, or an empty list when
    /// detectd may serve without authentication: on a loopback address, or anywhere with
    /// `--insecure-no-auth`.
    public static func keys(for configuration: Configuration) throws(AccessControlError) -> [APIKey] {
        var keys: [APIKey] = []
        if let path = configuration.apiKeysPath {
            do {
                keys = try APIKeyFile.load(path: path)
            } catch {
                throw AccessControlError(error.description)
            }
        }
        if let digest = configuration.environmentKeyDigest {
            let name = Configuration.apiKeyEnvironment
            if keys.contains(where: { $0.name == name }) {
                throw AccessControlError("the keys file names a key '\(name)', which is reserved for the key in the \(name) environment variable")
            }
            if keys.contains(where: { $0.secretDigest == digest }) {
                throw AccessControlError("\(name) is the secret of a key in the keys file; give every key its own secret")
            }
            keys.append(APIKey(name: name, scopes: Set(AccessScope.allCases), secretDigest: digest))
        }

        if configuration.insecureNoAuth && !keys.isEmpty {
            throw AccessControlError(
                "--insecure-no-auth cannot be combined with API keys (--api-keys or \(Configuration.apiKeyEnvironment)); remove one of them")
        }
        if keys.isEmpty && !configuration.insecureNoAuth && !isLoopback(host: configuration.host) {
            throw AccessControlError(
                """
                serving on \(configuration.host) without API keys is not allowed: anyone who reaches it could add \
                exceptions that silence alerts. Create a key with
                  detectd keys create --name NAME --scope evaluate,read,manage
                add the printed entry to a keys file and pass --api-keys FILE (or set \(Configuration.apiKeyEnvironment) \
                to the printed secret). Or listen on 127.0.0.1, or pass --insecure-no-auth to serve without authentication.
                """)
        }
        return keys
    }

    /// Whether every address `host` resolves to is a loopback address (127.0.0.0/8 or ::1).
    /// A host that does not resolve counts as not loopback.
    public static func isLoopback(host: String) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &results) == 0, let first = results else {
            return false
        }
        defer { freeaddrinfo(first) }

        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            guard let address = current.pointee.ai_addr, isLoopback(address, family: current.pointee.ai_family) else {
                return false
            }
            node = current.pointee.ai_next
        }
        return true
    }

    private static func isLoopback(_ address: UnsafeMutablePointer<sockaddr>, family: Int32) -> Bool {
        switch family {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                UInt32(bigEndian: ipv4.pointee.sin_addr.s_addr) >> 24 == 127
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                let bytes = withUnsafeBytes(of: ipv6.pointee.sin6_addr) { Array($0) }
                let isIPv6Loopback = bytes[0..<15].allSatisfy { $0 == 0 } && bytes[15] == 1
                let isMappedIPv4Loopback = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
                return isIPv6Loopback || isMappedIPv4Loopback
            }
        default:
            return false
        }
    }
}

/// A configuration that start-up rejects because of its keys or its lack of them.
public struct AccessControlError: Error, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
