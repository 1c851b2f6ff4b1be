import Glibc

/// One `GET /ready` request to a detectd on this host over a plain socket, bounded by a
/// deadline. The container image has no curl, so `detectd health` uses this.
struct HealthProbe {
    let host: String
    let port: Int
    let timeout: Duration

    /// The status code and body (cut to 64 KiB) of the response.
    struct Response {
        let status: Int
        let body: String
    }

    /// Maps a wildcard listen address (`0.0.0.0`, `::`) to loopback, where it accepts
    /// connections too. Any other host is returned unchanged.
    static func connectHost(forListenHost host: String) -> String {
        switch host {
        case "0.0.0.0", "": "127.0.0.1"
        case "::", "[::]": "::1"
        default: host
        }
    }

    var address: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    func run() throws(HealthProbeError) -> Response {
        let deadline = ContinuousClock.now + timeout
        let socket = try connect(deadline: deadline)
        defer { close(socket) }

        let request = "GET /ready HTTP/1.1\r\nHost: \(address)\r\nUser-Agent: detectd-health\r\nConnection: close\r\n\r\n"
        try send(Array(request.utf8), on: socket, deadline: deadline)
        let received = try receiveUntilClose(socket, deadline: deadline)
        return try Self.parse(received, from: address)
    }

    private func connect(deadline: ContinuousClock.Instant) throws(HealthProbeError) -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0, let first = list else {
            throw .resolveFailed(host: host, reason: String(cString: gai_strerror(resolved)))
        }
        defer { freeaddrinfo(list) }

        var lastError = HealthProbeError.connectFailed(address: address, errno: ECONNREFUSED)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let socket = Glibc.socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
            guard socket >= 0 else {
                lastError = .connectFailed(address: address, errno: errno)
                continue
            }
            if Glibc.connect(socket, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 {
                return socket
            }
            guard errno == EINPROGRESS else {
                lastError = .connectFailed(address: address, errno: errno)
                close(socket)
                continue
            }
            do throws(HealthProbeError) {
                try wait(for: Int16(POLLOUT), on: socket, deadline: deadline, stage: "connecting")
            } catch {
                close(socket)
                throw error
            }
            var socketError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(socket, SOL_SOCKET, SO_ERROR, &socketError, &length)
            if socketError == 0 {
                return socket
            }
            lastError = .connectFailed(address: address, errno: socketError)
            close(socket)
        }
        throw lastError
    }

    private func send(_ bytes: [UInt8], on socket: Int32, deadline: ContinuousClock.Instant) throws(HealthProbeError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if errno == EAGAIN || errno == EINTR {
                try wait(for: Int16(POLLOUT), on: socket, deadline: deadline, stage: "sending the request")
            } else {
                throw .connectionFailed(address: address, errno: errno)
            }
        }
    }

    private func receiveUntilClose(_ socket: Int32, deadline: ContinuousClock.Instant) throws(HealthProbeError) -> [UInt8] {
        let limit = 65536
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < limit {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += buffer[0..<count]
            } else if count == 0 {
                break
            } else if errno == EAGAIN || errno == EINTR {
                try wait(for: Int16(POLLIN), on: socket, deadline: deadline, stage: "waiting for the response")
            } else {
                throw .connectionFailed(address: address, errno: errno)
            }
        }
        return received
    }

    private func wait(for events: Int16, on socket: Int32, deadline: ContinuousClock.Instant, stage: String) throws(HealthProbeError) {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else {
                throw .timedOut(address: address, stage: stage, timeout: timeout)
            }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 || (ready < 0 && errno != EINTR) {
                return
            }
        }
    }

    /// Reads the status code from the status line (RFC 9112, section 4) and the body after the
    /// header section.
    static func parse(_ bytes: [UInt8], from address: String) throws(HealthProbeError) -> Response {
        let text = String(decoding: bytes, as: UTF8.self)
        let statusLine = text.prefix(while: { $0 != "\r" && $0 != "\n" })
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw .invalidResponse(address: address, excerpt: String(statusLine.prefix(80)))
        }
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return Response(status: status, body: body)
    }
}

/// The reason a health probe got no HTTP response.
enum HealthProbeError: Error, CustomStringConvertible {
    case resolveFailed(host: String, reason: String)
    case connectFailed(address: String, errno: Int32)
    case connectionFailed(address: String, errno: Int32)
    case timedOut(address: String, stage: String, timeout: Duration)
    case invalidResponse(address: String, excerpt: String)

    var description: String {
        switch self {
        case .resolveFailed(let host, let reason):
            "could not resolve '\(host)': \(reason)"
        case .connectFailed(let address, let code):
            "could not connect to \(address): \(String(cString: strerror(code)))"
        case .connectionFailed(let address, let code):
            "connection to \(address) failed: \(String(cString: strerror(code)))"
        case .timedOut(let address, let stage, let timeout):
            "timed out after \(timeout) \(stage) to \(address)"
        case .invalidResponse(let address, let excerpt):
            "\(address) sent no valid HTTP/1.x status line: '\(excerpt)'"
        }
    }
}
