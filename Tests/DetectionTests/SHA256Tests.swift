import Testing

@testable import Detection

@Suite("SHA-256")
struct SHA256Tests {
    @Test("empty message")
    func empty() {
        #expect(SHA256.hexString(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("abc")
    func abc() {
        #expect(SHA256.hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("448-bit message")
    func twoBlocks() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(SHA256.hexDigest(message) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("one million a")
    func millionA() {
        let digest = SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 1_000_000))
        #expect(SHA256.hexString(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("updates in pieces match one update")
    func pieces() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        for split in [0, 1, 31, 55, 56] {
            var hasher = SHA256()
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(SHA256.hexString(hasher.finalize()) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "split at \(split)")
        }
    }

    @Test("padding boundary lengths")
    func paddingBoundaries() {
        // Digests of 55, 56 and 64 bytes of "a", computed with coreutils sha256sum.
        #expect(
            SHA256.hexString(SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 55))) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(
            SHA256.hexString(SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 56))) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(
            SHA256.hexString(SHA256.hash(repeatElement(UInt8(ascii: "a"), count: 64))) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test("pieces across block boundaries")
    func piecesAcrossBlocks() {
        // A 112-byte message, which pads into a third block. Digest from coreutils sha256sum.
        let text = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        let expected = "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        let message = Array(text.utf8)
        for (first, second) in [(0, 112), (1, 64), (63, 65), (64, 100), (70, 111), (112, 112)] {
            var hasher = SHA256()
            hasher.update(message[..<first])
            hasher.update(message[first..<second])
            hasher.update(message[second...])
            #expect(hasher.finalizeHex() == expected, "split at \(first) and \(second)")
        }
    }

    @Test("strings and lazy bytes")
    func stringsAndLazyBytes() {
        let expected = "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        var fromStrings = SHA256()
        fromStrings.update("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn")
        fromStrings.update("hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")
        #expect(fromStrings.finalizeHex() == expected)

        // A lazy map has no contiguous storage, so its bytes are fed one at a time.
        var fromLazyBytes = SHA256()
        let text = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        fromLazyBytes.update(text.utf8.lazy.map { $0 })
        #expect(SHA256.hexString(fromLazyBytes.finalize()) == expected)
    }
}
