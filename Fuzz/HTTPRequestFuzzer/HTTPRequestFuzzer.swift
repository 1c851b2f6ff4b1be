import HTTPServer

/// The fuzz target for `fuzz-http-request`: it feeds the input to the connection state machine as
/// the bytes a client sent, once in a single read and again split into reads of 1 to 64 bytes,
/// and stops the process when the two runs send different bytes or report different results.
///
/// The machine must treat a request the same wherever the reads split it. A crash, an address
/// sanitizer report or a difference between the runs is a finding.
@_cdecl("detectd_fuzz_http_request")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = ConnectionTranscript.record(reads: [input[...]])
    let split = ConnectionTranscript.record(reads: SplitPoints.reads(of: input))
    if whole != split {
        fatalError("The same request bytes gave different results when split.\nwhole: \(whole)\nsplit: \(split)")
    }
    if input.count <= 512 {
        let byteByByte = ConnectionTranscript.record(reads: input.indices.map { input[$0..<($0 + 1)] })
        if whole != byteByByte {
            fatalError("The same request bytes gave different results one byte at a time.\nwhole: \(whole)\nbytes: \(byteByByte)")
        }
    }
    return 0
}

/// Read sizes drawn from a generator seeded with a hash of the input, so each input always
/// splits the same way and a finding can be replayed.
enum SplitPoints {
    static func reads(of input: [UInt8]) -> [ArraySlice<UInt8>] {
        // FNV-1a over the input, as a seed that changes with every byte.
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in input {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        var generator = RequestIDGenerator(seed: hash)

        var reads: [ArraySlice<UInt8>] = []
        var start = 0
        while start < input.count {
            let size = Int(generator.next() % 64) + 1
            let end = min(start + size, input.count)
            reads.append(input[start..<end])
            start = end
        }
        return reads
    }
}
