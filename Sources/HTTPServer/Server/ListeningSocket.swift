import CLinux
import Glibc

/// Socket set-up for the listener and the formatting of socket addresses.
enum ListeningSocket {
    /// Creates a non-blocking listening socket bound to `host` and `port` and returns it with the
    /// bound port, which differs from `port` when `port` is 0.
    static func open(host: String, port: Int) throws(HTTPServerError) -> (descriptor: Int32, port: Int) {
        guard (0...65535).contains(port) else {
            throw .invalidAddress(host: host, port: port, reason: "the port is outside 0...65535")
        }

        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw .invalidAddress(host: host, port: port, reason: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(results) }

        let address = "\(host):\(port)"
        let descriptor: Int32
        do {
            descriptor = try systemCall("socket") {
                socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | CLINUX_SOCK_NONBLOCK | CLINUX_SOCK_CLOEXEC, 0)
            }
        } catch {
            throw .systemCallFailed(call: error.call, errno: error.errno, address: address)
        }

        do {
            var enable: Int32 = 1
            try systemCall("setsockopt(SO_REUSEADDR)") {
                setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &enable, socklen_t(MemoryLayout<Int32>.size))
            }
            try systemCall("bind") { bind(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) }
            try systemCall("listen") { listen(descriptor, SOMAXCONN) }

            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemCallError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) in
                    try systemCall("getsockname") { getsockname(descriptor, address, &length) }
                }
            }
            return (descriptor, describe(storage).port)
        } catch {
            close(descriptor)
            throw .systemCallFailed(call: error.call, errno: error.errno, address: address)
        }
    }

    /// Returns the numeric address and port of an IPv4 or IPv6 socket address.
    static func describe(_ storage: sockaddr_storage) -> (host: String, port: Int) {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var ip = address.pointee.sin_addr
                    inet_ntop(AF_INET, &ip, &text, socklen_t(text.count))
                    return (nulTerminated(text), Int(UInt16(bigEndian: address.pointee.sin_port)))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var ip = address.pointee.sin6_addr
                    inet_ntop(AF_INET6, &ip, &text, socklen_t(text.count))
                    return ("[\(nulTerminated(text))]", Int(UInt16(bigEndian: address.pointee.sin6_port)))
                }
            }
        default:
            return ("unknown", 0)
        }
    }

    private static func nulTerminated(_ text: [CChar]) -> String {
        String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
