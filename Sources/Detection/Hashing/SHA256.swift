/// SHA-256 as specified in FIPS 180-4, section 6.2, for identities and alert ids.
///
/// Feed bytes with `update` in as many pieces as needed, then call `finalize` or `finalizeHex`
/// once.
public struct SHA256: Sendable {
    private static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// The bytes of an unfinished block, inline so that hashing allocates nothing.
    private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    /// How many bytes of `block` are filled.
    private var blockCount = 0
    /// The number of bytes fed so far.
    private var messageLength: UInt64 = 0

    public init() {}

    /// Feeds `bytes`, compressing whole 64-byte blocks straight from the buffer.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        messageLength &+= UInt64(bytes.count)
        var offset = 0
        if blockCount > 0 {
            offset = min(64 - blockCount, bytes.count)
            let filled = blockCount
            withUnsafeMutableBytes(of: &block) { buffer in
                buffer.baseAddress!.advanced(by: filled).copyMemory(from: base, byteCount: offset)
            }
            blockCount += offset
            guard blockCount == 64 else { return }
            let full = block
            withUnsafeBytes(of: full) { compressBlock($0) }
            blockCount = 0
        }
        while bytes.count - offset >= 64 {
            compressBlock(UnsafeRawBufferPointer(start: base + offset, count: 64))
            offset += 64
        }
        let rest = bytes.count - offset
        if rest > 0 {
            withUnsafeMutableBytes(of: &block) { buffer in
                buffer.baseAddress!.copyMemory(from: base + offset, byteCount: rest)
            }
            blockCount = rest
        }
    }

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if contiguous == nil {
            for byte in bytes {
                withUnsafeBytes(of: byte) { update($0) }
            }
        }
    }

    /// Feeds the UTF-8 bytes of `text` from its own storage.
    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Pads the message (FIPS 180-4, section 5.1.1) and returns the 32-byte digest.
    public mutating func finalize() -> [UInt8] {
        pad()
        return [UInt8](unsafeUninitializedCapacity: 32) { digest, count in
            writeDigest(UnsafeMutableRawBufferPointer(digest))
            count = 32
        }
    }

    /// Pads the message like `finalize` and returns the digest as 64 lowercase hexadecimal digits.
    public mutating func finalizeHex() -> String {
        pad()
        var digest: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digest) { writeDigest($0) }
        return withUnsafeBytes(of: digest) { Self.hexString($0) }
    }

    /// Feeds the padding: a one bit, zeros up to 56 bytes into a block, and the message length
    /// in bits as 8 big-endian bytes.
    private mutating func pad() {
        let bitLength = messageLength &* 8
        let zerosEnd = blockCount < 56 ? 56 - blockCount : 120 - blockCount
        var padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &padding) { buffer in
            buffer[0] = 0x80
            buffer.storeBytes(of: bitLength.bigEndian, toByteOffset: zerosEnd, as: UInt64.self)
        }
        withUnsafeBytes(of: padding) { buffer in
            update(UnsafeRawBufferPointer(rebasing: buffer[0..<(zerosEnd + 8)]))
        }
    }

    /// Writes the state as 32 big-endian bytes to `digest`.
    private func writeDigest(_ digest: UnsafeMutableRawBufferPointer) {
        withUnsafeBytes(of: state) { words in
            for offset in stride(from: 0, to: 32, by: 4) {
                let word = words.load(fromByteOffset: offset, as: UInt32.self)
                digest.storeBytes(of: word.bigEndian, toByteOffset: offset, as: UInt32.self)
            }
        }
    }

    /// Returns the digest of `bytes`.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Returns the digest of the UTF-8 bytes of `text` as 64 lowercase hexadecimal digits.
    public static func hexDigest(_ text: String) -> String {
        hexString(hash(text.utf8))
    }

    /// Returns `bytes` as lowercase hexadecimal digits, two per byte.
    public static func hexString(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hexString($0) }
    }

    private static func hexString(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { text in
            for (index, byte) in bytes.enumerated() {
                text[index * 2] = hexDigit(byte >> 4)
                text[index * 2 + 1] = hexDigit(byte & 0x0f)
            }
            return bytes.count * 2
        }
    }

    /// Returns the ASCII digit for a value from 0 to 15.
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// Applies the compression function (FIPS 180-4, section 6.2.2) to the 64 bytes at `block`.
    private mutating func compressBlock(_ block: UnsafeRawBufferPointer) {
        // The message schedule lives on the stack, because an array would be allocated for every block.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            Self.roundConstants.withUnsafeBufferPointer { constants in
                compressBlock(block, schedule: schedule, constants: constants)
            }
        }
    }

    private mutating func compressBlock(
        _ block: UnsafeRawBufferPointer, schedule: UnsafeMutableBufferPointer<UInt32>, constants: UnsafeBufferPointer<UInt32>
    ) {
        for index in 0..<16 {
            schedule[index] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
        }
        for index in 16..<64 {
            let sigma0 = rotateRight(schedule[index - 15], 7) ^ rotateRight(schedule[index - 15], 18) ^ (schedule[index - 15] >> 3)
            let sigma1 = rotateRight(schedule[index - 2], 17) ^ rotateRight(schedule[index - 2], 19) ^ (schedule[index - 2] >> 10)
            schedule[index] = schedule[index - 16] &+ sigma0 &+ schedule[index - 7] &+ sigma1
        }

        var (a, b, c, d, e, f, g, h) = state
        for index in 0..<64 {
            let sum1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
            let choice = (e & f) ^ (~e & g)
            let temporary1 = h &+ sum1 &+ choice &+ constants[index] &+ schedule[index]
            let sum0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let temporary2 = sum0 &+ majority
            h = g
            g = f
            f = e
            e = d &+ temporary1
            d = c
            c = b
            b = a
            a = temporary1 &+ temporary2
        }
        state = (
            state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
            state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h
        )
    }

    private func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
        value >> count | value << (32 - count)
    }
}
