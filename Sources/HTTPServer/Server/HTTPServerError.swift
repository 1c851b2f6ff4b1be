/// The reason `HTTPServer.start()` failed.
public enum HTTPServerError: Error, CustomStringConvertible, Equatable {
    case alreadyStarted
    /// The host did not resolve to an address, or the port is outside 0...65535.
    case invalidAddress(host: String, port: Int, reason: String)
    /// A system call failed while the server set up its sockets, such as `bind` with EADDRINUSE.
    case systemCallFailed(call: String, errno: Int32, address: String)

    public var description: String {
        switch self {
        case .alreadyStarted:
            "The server was already started."
        case .invalidAddress(let host, let port, let reason):
            "The listen address \(host) port \(port) is invalid: \(reason)."
        case .systemCallFailed(let call, let code, let address):
            "\(SystemCallError(call: call, errno: code)) for \(address)."
        }
    }
}
