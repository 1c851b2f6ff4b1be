import Glibc

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `fe80::/10`), or a single address
/// when the prefix length is left out.
struct CIDRBlock: Sendable, Equatable {
    /// Network address bytes: 4 for IPv4, 16 for IPv6.
    let network: [UInt8]
    let prefixLength: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.parseAddress(String(parts[0])) else {
            return nil
        }
        let maximum = address.count * 8
        var prefixLength = maximum
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maximum).contains(length) else {
                return nil
            }
            prefixLength = length
        }
        self.network = address
        self.prefixLength = prefixLength
    }

    /// Whether `address` (4 or 16 bytes) lies in the block. IPv4 addresses never match IPv6
    /// blocks and the reverse.
    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else {
            return false
        }
        var remaining = prefixLength
        var index = 0
        while remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address[index] & mask != network[index] & mask {
                return false
            }
            remaining -= bits
            index += 1
        }
        return true
    }

    /// Parses a textual IPv4 or IPv6 address into its bytes with `inet_pton`.
    static func parseAddress(_ text: String) -> [UInt8]? {
        if text.contains(":") {
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else {
                return nil
            }
            return withUnsafeBytes(of: &address) { Array($0) }
        }
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else {
            return nil
        }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    /// Parses an address given as UTF-8 bytes, such as an event field value.
    static func parseAddress(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        // The longest textual IPv6 address (with an embedded IPv4 part) has 45 characters.
        guard bytes.count <= 45 else {
            return nil
        }
        return parseAddress(String(decoding: bytes, as: UTF8.self))
    }
}
