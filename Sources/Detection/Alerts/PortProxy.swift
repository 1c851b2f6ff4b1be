/// A Windows port proxy entry, read from the registry value that `netsh interface portproxy
/// add` writes: `HKLM\SYSTEM\CurrentControlSet\Services\PortProxy\<family>\<protocol>\` with the
/// value name `<listen address>/<listen port>` and the data `<connect address>/<connect port>`.
///
/// `parse` does not throw: a part that cannot be read is left nil and described in `parseError`.
public struct PortProxy: Sendable, Equatable {
    public static let families = ["v4tov4", "v4tov6", "v6tov4", "v6tov6"]

    /// `v4tov4`, `v4tov6`, `v6tov4` or `v6tov6`, in lowercase.
    public var family: String?
    /// The transport protocol key, such as `tcp`, in lowercase.
    public var transportProtocol: String?
    public var listenAddress: String?
    public var listenPort: Int?
    public var connectAddress: String?
    public var connectPort: Int?
    /// A description of the parts that could not be parsed, or nil when every part present was read.
    public var parseError: String?

    public init(
        family: String? = nil, transportProtocol: String? = nil, listenAddress: String? = nil, listenPort: Int? = nil,
        connectAddress: String? = nil, connectPort: Int? = nil, parseError: String? = nil
    ) {
        self.family = family
        self.transportProtocol = transportProtocol
        self.listenAddress = listenAddress
        self.listenPort = listenPort
        self.connectAddress = connectAddress
        self.connectPort = connectPort
        self.parseError = parseError
    }

    /// Reads the entry from a registry path and its value data (`registry.data.strings`).
    /// Returns nil when the path has no `PortProxy` key, because the event is then about
    /// something else.
    ///
    /// When the path ends at the protocol key, as in events about the key rather than one of its
    /// values, the listen endpoint is read from `valueName` (`registry.value`) instead.
    public static func parse(registryPath: String, data: String?, valueName: String? = nil) -> PortProxy? {
        var path = registryPath
        return path.withUTF8 { parse(path: $0, data: data, valueName: valueName) }
    }

    /// Reads the entry from the UTF-8 bytes of a registry path. The keys are found by byte
    /// offsets, because `\` is never part of a multi-byte character. Only the parts kept in the
    /// entry become strings.
    private static func parse(path: UnsafeBufferPointer<UInt8>, data: String?, valueName: String?) -> PortProxy? {
        let backslash = UInt8(ascii: "\\")
        var keyStart = 0
        var proxyEnd: Int?
        while keyStart <= path.count {
            let keyEnd = path[keyStart...].firstIndex(of: backslash) ?? path.count
            if isPortProxyKey(UnsafeBufferPointer(rebasing: path[keyStart..<keyEnd])) {
                proxyEnd = keyEnd
                break
            }
            keyStart = keyEnd + 1
        }
        guard let proxyEnd else {
            return nil
        }
        // The keys after PortProxy: family, protocol, and the listen endpoint, which is the rest
        // of the path with any further backslashes.
        var rest: [Range<Int>] = []
        var start = proxyEnd + 1
        while start <= path.count, rest.count < 2 {
            let end = path[start...].firstIndex(of: backslash) ?? path.count
            rest.append(start..<end)
            start = end + 1
        }
        if start <= path.count {
            rest.append(start..<path.count)
        }
        func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: path[range]), as: UTF8.self)
        }

        var entry = PortProxy()
        var problems: [String] = []
        if let family = rest.first {
            if let known = families.first(where: { equalsLowercaseASCII(UnsafeBufferPointer(rebasing: path[family]), $0) }) {
                entry.family = known
            } else {
                problems.append("unknown port proxy family '\(text(family))', expected one of \(families.joined(separator: ", "))")
            }
        } else {
            problems.append("registry path ends at the PortProxy key, without a family such as v4tov4")
        }

        if rest.count >= 2 {
            entry.transportProtocol = text(rest[1]).lowercased()
        } else if rest.count == 1 {
            problems.append("registry path has no protocol key (such as tcp) after the family")
        }

        var listenText: String?
        if rest.count >= 3 {
            listenText = text(rest[2])
        } else if rest.count == 2, let valueName, !valueName.isEmpty {
            listenText = valueName
        }
        if let listenText {
            switch parseEndpoint(listenText) {
            case .success(let endpoint):
                entry.listenAddress = endpoint.address
                entry.listenPort = endpoint.port
            case .failure(let problem):
                problems.append("listen endpoint \(problem.message)")
            }
        } else if rest.count == 2 {
            problems.append("registry path has no listen address and port after the protocol, and registry.value names none")
        }

        if let data {
            switch parseEndpoint(data) {
            case .success(let endpoint):
                entry.connectAddress = endpoint.address
                entry.connectPort = endpoint.port
            case .failure(let problem):
                problems.append("connect endpoint \(problem.message)")
            }
        }

        entry.parseError = problems.isEmpty ? nil : problems.joined(separator: "; ")
        return entry
    }

    /// Returns whether `bytes`, with ASCII capitals lowered, equal `lowercase`, an ASCII string.
    /// A non-ASCII byte never equals an ASCII one, and no other character lowercases to a letter
    /// or digit of the family names, so this gives the same result as `lowercased()`.
    private static func equalsLowercaseASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: String) -> Bool {
        guard bytes.count == lowercase.utf8.count else {
            return false
        }
        return zip(bytes, lowercase.utf8).allSatisfy { actual, expected in
            (actual >= 0x41 && actual <= 0x5A ? actual | 0x20 : actual) == expected
        }
    }

    /// Returns whether a registry key name is `PortProxy` in any case. Comparing ASCII letters without
    /// case equals comparing `lowercased()` here, because no other character lowercases to a
    /// letter of `portproxy`.
    private static func isPortProxyKey(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let expected = "portproxy".utf8
        guard name.count == expected.count else {
            return false
        }
        return zip(name, expected).allSatisfy { actual, lowercase in
            actual | 0x20 == lowercase
        }
    }

    struct EndpointProblem: Error {
        let message: String
    }

    /// Splits `address/port` at the last `/`. The address may be IPv4, IPv6 (`::`, `::1`, or in
    /// brackets such as `[::1]`) or a host name, as netsh stores what was typed.
    static func parseEndpoint(_ text: String) -> Result<(address: String, port: Int), EndpointProblem> {
        guard let slash = text.utf8.lastIndex(of: UInt8(ascii: "/")) else {
            return .failure(EndpointProblem(message: "\(quoted(text)) is not of the form address/port"))
        }
        // The checks read UTF-8 bytes: `/`, `[`, `]` and digits are ASCII, so no Character
        // (grapheme) needs to be formed for an endpoint as netsh writes it.
        let utf8 = text.utf8
        var addressBytes = utf8[..<slash]
        if addressBytes.count >= 2, addressBytes.first == UInt8(ascii: "["), addressBytes.last == UInt8(ascii: "]") {
            addressBytes = addressBytes.dropFirst().dropLast()
        }
        guard !addressBytes.isEmpty else {
            return .failure(EndpointProblem(message: "\(quoted(text)) has no address before the '/'"))
        }
        let portBytes = utf8[utf8.index(after: slash)...]
        // NOTE: netsh also takes a service name as a port; whether the registry then stores the
        // name or its number is unverified, so a name is reported in `parseError`.
        guard !portBytes.isEmpty, portBytes.count <= 5, portBytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            case let port = portBytes.reduce(0, { $0 * 10 + Int($1 - UInt8(ascii: "0")) }), port <= 65535
        else {
            let portText = Substring(portBytes)
            return .failure(EndpointProblem(message: "\(quoted(text)) has port '\(portText.prefix(20))', expected a number from 0 to 65535"))
        }
        let address = String(Substring(addressBytes))
        return .success((address, port))
    }

    private static func quoted(_ text: String) -> String {
        text.count > 80 ? "'\(text.prefix(80))…'" : "'\(text)'"
    }

    /// Writes the entry as a JSON object with snake_case ECS-style names.
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.optionalMember("family", family)
        writer.optionalMember("protocol", transportProtocol)
        writer.optionalMember("listen_address", listenAddress)
        if let listenPort { writer.member("listen_port", listenPort) }
        writer.optionalMember("connect_address", connectAddress)
        if let connectPort { writer.member("connect_port", connectPort) }
        writer.optionalMember("parse_error", parseError)
        writer.endObject()
    }
}
