import Foundation
import Testing

@Suite("API key checked before the body", .serialized)
struct AuthBeforeBodyTests {
    @Test("expect continue without key gets 401")
    func expectContinueWithoutKey() async throws {
        let service = try await TestService(keys: TestKeys.all)
        defer { service.stop() }
        let head = "POST /evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n"
        let client = service.client
        let received = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try client.exchange(Array(head.utf8)) })
            }
        }
        let text = String(decoding: received, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 401 "), "\(text.prefix(200))")
        #expect(!text.contains("100 Continue"))
        #expect(text.contains("WWW-Authenticate: ApiKey"))
    }

    @Test("unknown path without key gets 404")
    func unknownPathWithoutKey() async throws {
        let service = try await TestService(keys: TestKeys.all)
        defer { service.stop() }
        let response = try await service.client.request("GET", "/admin")
        #expect(response.status == 404)
        #expect(response.header("X-Request-Id") != nil)
    }
}
