import Glibc

/// A failed system call: the call's name and its errno.
struct SystemCallError: Error, CustomStringConvertible {
    let call: String
    let errno: Int32

    var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// Runs a system call that returns -1 on failure, retrying it while it fails with EINTR.
///
/// EBADF and EFAULT mean the server passed a closed descriptor or a bad pointer, a bug that
/// retrying or reporting cannot fix, so they stop the process.
@discardableResult
func systemCall<Result: BinaryInteger>(_ name: String, _ body: () -> Result) throws(SystemCallError) -> Result {
    while true {
        let result = body()
        if result != -1 {
            return result
        }
        let code = errno
        switch code {
        case EINTR:
            continue
        case EBADF, EFAULT:
            preconditionFailure("\(name) failed with errno \(code), a programming error")
        default:
            throw SystemCallError(call: name, errno: code)
        }
    }
}
