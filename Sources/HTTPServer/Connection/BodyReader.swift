/// Reads a request body delimited by `Content-Length` or by the chunked coding, from bytes split
/// at any point.
struct BodyReader {
    private var remaining: Int
    private var fixedBody: [UInt8] = []
    private var chunked: ChunkedDecoder?

    init(_ length: MessageFraming.BodyLength, configuration: HTTPServerConfiguration) {
        switch length {
        case .none:
            remaining = 0
        case .fixed(let count):
            remaining = count
            fixedBody.reserveCapacity(count)
        case .chunked:
            remaining = 0
            chunked = ChunkedDecoder(maxBodyBytes: configuration.maxBodyBytes, maxTrailerBytes: configuration.maxHeaderBytes)
        }
    }

    var isComplete: Bool {
        chunked?.isComplete ?? (remaining == 0)
    }

    /// Consumes bytes up to the end of the body and returns how many it took from `bytes`.
    mutating func read(_ bytes: ArraySlice<UInt8>) throws(HTTPRequestError) -> Int {
        if chunked != nil {
            return try chunked!.decode(bytes)
        }
        let count = min(remaining, bytes.count)
        fixedBody.append(contentsOf: bytes.prefix(count))
        remaining -= count
        return count
    }

    var body: [UInt8] {
        chunked?.body ?? fixedBody
    }
}
