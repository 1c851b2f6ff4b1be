import CZlib

/// A content coding of a request body (RFC 9110, section 8.4.1).
enum ContentCoding: Equatable {
    case identity
    /// RFC 1952 gzip members; "x-gzip" is the same coding (RFC 9110, section 8.4.1.3).
    case gzip
    /// The zlib format of RFC 1950 (RFC 9110, section 8.4.1.2). Some clients send raw RFC 1951
    /// deflate data under this name, so data without a zlib header is read as raw deflate.
    case deflate

    init?(name: String) {
        switch name.lowercased() {
        case "identity": self = .identity
        case "gzip", "x-gzip": self = .gzip
        case "deflate": self = .deflate
        default: return nil
        }
    }

    var name: String {
        switch self {
        case .identity: "identity"
        case .gzip: "gzip"
        case .deflate: "deflate"
        }
    }

    /// Decodes `data`, rejecting output beyond `maxDecodedBytes` as soon as it is produced, so a
    /// small compressed body cannot expand without bound.
    func decode(_ data: [UInt8], maxDecodedBytes: Int) throws(HTTPRequestError) -> [UInt8] {
        switch self {
        case .identity:
            return data
        case .gzip:
            // 15 window bits plus 16 selects the gzip wrapper.
            return try Inflater.inflate(data, windowBits: 15 + 16, coding: name, maxDecodedBytes: maxDecodedBytes)
        case .deflate:
            // A zlib header is a big-endian 16-bit multiple of 31 whose low nibble of the first byte is 8.
            let hasZlibHeader =
                data.count >= 2 && data[0] & 0x0F == 8 && (UInt16(data[0]) << 8 | UInt16(data[1])) % 31 == 0
            let windowBits: Int32 = hasZlibHeader ? 15 : -15
            return try Inflater.inflate(data, windowBits: windowBits, coding: name, maxDecodedBytes: maxDecodedBytes)
        }
    }
}

/// zlib's inflate over a whole buffer.
enum Inflater {
    static let outputChunkBytes = 64 * 1024

    static func inflate(
        _ input: [UInt8],
        windowBits: Int32,
        coding: String,
        maxDecodedBytes: Int
    ) throws(HTTPRequestError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw HTTPRequestError(.invalidEncodedContent(coding: coding, reason: "zlib could not be initialized"))
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: outputChunkBytes)
        let result: Result<Void, HTTPRequestError> = input.withUnsafeBufferPointer { inputBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inputBuffer.baseAddress)
            stream.avail_in = UInt32(inputBuffer.count)

            while true {
                let status = chunk.withUnsafeMutableBufferPointer { outputBuffer in
                    stream.next_out = outputBuffer.baseAddress
                    stream.avail_out = UInt32(outputBuffer.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = outputChunkBytes - Int(stream.avail_out)
                if produced > maxDecodedBytes - output.count {
                    return .failure(HTTPRequestError(.decodedContentTooLarge(limit: maxDecodedBytes)))
                }
                output.append(contentsOf: chunk[..<produced])

                switch status {
                case Z_STREAM_END:
                    // A gzip body may hold several members one after another (RFC 1952, section 2.2).
                    if stream.avail_in > 0 && windowBits > 15 {
                        inflateReset(&stream)
                        continue
                    }
                    if stream.avail_in > 0 {
                        return .failure(
                            HTTPRequestError(
                                .invalidEncodedContent(coding: coding, reason: "\(stream.avail_in) bytes follow the end of the stream"),
                                at: input.count - Int(stream.avail_in)
                            )
                        )
                    }
                    return .success(())
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return .failure(HTTPRequestError(.truncatedEncodedContent(coding: coding), at: input.count))
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    return .failure(
                        HTTPRequestError(
                            .invalidEncodedContent(coding: coding, reason: message),
                            at: input.count - Int(stream.avail_in)
                        )
                    )
                }
            }
        }
        try result.get()
        return output
    }
}
