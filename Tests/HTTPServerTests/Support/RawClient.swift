import Foundation
import Glibc

/// A blocking TCP client that writes raw bytes to the server under test on 127.0.0.1 and parses
/// the responses it reads back. Tests run it on its own thread through `onThread`.
///
/// `@unchecked Sendable` because one test writes from a second thread while the first reads, and
/// `write` touches only the socket, never `buffer`.
final class RawClient: @unchecked Sendable {
    struct Response {
        var status: Int
        var reason: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first(where: { $0.name.lowercased() == name.lowercased() })?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct ClientError: Error, CustomStringConvertible {
        var description: String
    }

    let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes received on this connection so far, parsed or not.
    private(set) var receivedBytes = 0

    init(port: Int, receiveTimeout: Duration = .seconds(5)) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw ClientError(description: "socket failed with errno \(errno)")
        }
        var timeout = timeval(tv_sec: Int(receiveTimeout.components.seconds), tv_usec: Int(receiveTimeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw ClientError(description: "connect failed with errno \(code)")
        }
    }

    deinit {
        close(descriptor)
    }

    func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else {
                throw ClientError(description: "send failed with errno \(errno)")
            }
            offset += sent
        }
    }

    /// Writes each byte in its own `send`, pausing so that the server reads them one at a time.
    func writeByteByByte(_ text: String, pause: Duration = .zero) throws {
        for byte in text.utf8 {
            try write([byte])
            if pause > .zero {
                Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18)
            }
        }
    }

    func shutdownOutput() {
        Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads one response. For a response to HEAD, pass `isHead` so that no body is read.
    func readResponse(isHead: Bool = false) throws -> Response {
        let headEnd = try readUntil(Array("\r\n\r\n".utf8))
        let headText = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)

        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
            throw ClientError(description: "invalid status line in \(headText)")
        }
        let headers = lines.map { line -> (String, String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }

        var response = Response(status: status, reason: statusLine.count > 2 ? statusLine[2] : "", headers: headers, body: [])
        let length = response.header("Content-Length").flatMap { Int($0) } ?? 0
        if !isHead && length > 0 {
            try fill(atLeast: length)
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        return response
    }

    /// Returns true when the server closes the connection (EOF or reset) before the receive
    /// timeout, discarding anything else it sends.
    func waitForClose() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count == 0 {
                return true
            }
            if count < 0 {
                return errno == ECONNRESET
            }
        }
    }

    /// Bytes read but not yet parsed, such as data after the last response.
    var unparsed: [UInt8] { buffer }

    private func readUntil(_ delimiter: [UInt8]) throws -> Int {
        var searchFrom = 0
        while true {
            if buffer.count >= delimiter.count {
                for start in searchFrom...(buffer.count - delimiter.count) where buffer[start..<(start + delimiter.count)].elementsEqual(delimiter) {
                    return start
                }
                searchFrom = buffer.count - delimiter.count + 1
            }
            try receiveMore()
        }
    }

    private func fill(atLeast count: Int) throws {
        while buffer.count < count {
            try receiveMore()
        }
    }

    private func receiveMore() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        if count == 0 {
            throw ClientError(description: "the server closed the connection; unparsed: \(String(decoding: buffer, as: UTF8.self))")
        }
        if count < 0 {
            throw ClientError(description: "recv failed with errno \(errno)")
        }
        buffer.append(contentsOf: chunk[..<count])
        receivedBytes += count
    }
}

/// Runs blocking client code on a thread of its own, so that it never occupies one of the few
/// threads that the server's handler tasks run on.
func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}
