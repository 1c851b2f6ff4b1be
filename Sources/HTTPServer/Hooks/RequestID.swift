/// Request ids: the client's `X-Request-Id` when it is usable, else a random one.
enum RequestID {
    static let fieldName = "X-Request-Id"
    static let maxLength = 128

    /// Returns `value` when it is 1 to 128 visible ASCII characters (0x21 to 0x7E), which keeps
    /// it safe to echo in a field line and to write into a log line unquoted.
    static func accepted(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= maxLength,
            value.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else {
            return nil
        }
        return value
    }
}

/// A fast pseudo-random source of request ids: 32 lowercase hex digits (128 bits) each.
///
/// The ids need to be unique, not secret, so xoshiro256** seeded from the system's random source
/// replaces a `getrandom` call per request. Each connection gets its own generator seeded from
/// its event loop's, and tests pass a fixed seed to get repeatable ids.
package struct RequestIDGenerator: RandomNumberGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    package init(seed: UInt64) {
        // SplitMix64 spreads one seed over the four state words, which must not all be zero.
        var mixer = seed
        func nextMixed() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextMixed(), nextMixed(), nextMixed(), nextMixed())
    }

    /// A generator seeded from the system's random source.
    package init() {
        var system = SystemRandomNumberGenerator()
        self.init(seed: system.next())
    }

    package mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// Returns a new request id.
    mutating func nextID() -> String {
        let high = next()
        let low = next()
        return String(unsafeUninitializedCapacity: 32) { text in
            for index in 0..<32 {
                let word = index < 16 ? high : low
                let digit = UInt8(truncatingIfNeeded: word >> (UInt64(15 - index % 16) * 4) & 0xF)
                text[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            }
            return 32
        }
    }

    private func rotateLeft(_ value: UInt64, by count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
