import Glibc

/// The unit that failed authentications are counted per: an IPv4 address, or the /64 prefix
/// of an IPv6 address, because one IPv6 host usually holds a whole /64 and could otherwise
/// change its address after every 20 attempts.
enum ClientAddress {
    /// Returns the counting key for a peer given as "address:port" or "[address]:port".
    static func rateLimitKey(forPeer peer: String) -> String {
        let host: Substring
        if peer.hasPrefix("["), let close = peer.firstIndex(of: "]") {
            host = peer[peer.index(after: peer.startIndex)..<close]
        } else if let colon = peer.lastIndex(of: ":"), peer.firstIndex(of: ":") == colon {
            host = peer[..<colon]
        } else {
            host = peer[...]
        }

        var address = in6_addr()
        guard inet_pton(AF_INET6, String(host), &address) == 1 else {
            return String(host)
        }
        var bytes = withUnsafeBytes(of: address) { Array($0) }
        let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
        if Array(bytes[0..<12]) == mappedPrefix {
            return bytes[12..<16].map(String.init).joined(separator: ".")
        }
        for index in 8..<16 { bytes[index] = 0 }
        var prefix = in6_addr()
        withUnsafeMutableBytes(of: &prefix) { $0.copyBytes(from: bytes) }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &prefix, &text, socklen_t(text.count)) != nil else {
            return String(host)
        }
        let length = text.firstIndex(of: 0) ?? text.count
        return String(decoding: text[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/64"
    }
}
