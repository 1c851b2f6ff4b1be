import Foundation
import Testing

/// Which Content-Type values POST /exceptions/_import reads, and the 415 for the others.
@Suite("Exception import media types", .serialized)
struct ExceptionImportMediaTypeTests {
    static let export = ExceptionInterchangeTests.kibanaExport

    @Test("multipart upload gets 415 with hint")
    func multipartRejected() async throws {
        let service = try await TestService()
        defer { service.stop() }
        // The body curl -F file=@export.ndjson sends, as Kibana's import expects it.
        let boundary = "------------------------d74496d66958873e"
        let body =
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"export.ndjson\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n\(Self.export)\r\n--\(boundary)--\r\n"

        let response = try await service.client.request(
            "POST", "/exceptions/_import", json: body, contentType: "multipart/form-data; boundary=\(boundary)")
        #expect(response.status == 415)
        #expect(response.header("Content-Type") == "application/problem+json")
        let problem = try response.json()
        #expect(problem["supported"] as? [String] == ["application/x-ndjson", "application/ndjson", "application/json", "text/plain"])
        let detail = try #require(problem["detail"] as? String)
        #expect(detail.hasPrefix("Content-Type 'multipart/form-data; boundary=\(boundary)' is not supported here"))
        #expect(detail.contains("detectd does not read form uploads such as Kibana's (curl -F file=@export.ndjson)"))
        #expect(detail.hasSuffix("curl --data-binary @export.ndjson -H 'Content-Type: application/x-ndjson'."))

        let list = try await service.client.request("GET", "/exceptions").json()
        #expect(list["total"] as? Int == 0)
    }

    @Test("form-urlencoded gets 415 with hint")
    func formURLEncodedRejected() async throws {
        let service = try await TestService()
        defer { service.stop() }
        // curl --data-binary without -H labels the body application/x-www-form-urlencoded.
        let response = try await service.client.request(
            "POST", "/exceptions/_import", json: Self.export, contentType: "application/x-www-form-urlencoded")
        #expect(response.status == 415)
        let detail = try #require(try response.json()["detail"] as? String)
        #expect(detail.contains("To import an export file, send the file as the request body: "))
        #expect(detail.hasSuffix("curl --data-binary @export.ndjson -H 'Content-Type: application/x-ndjson'."))
    }

    @Test(
        "NDJSON, JSON and plain text are read",
        arguments: ["application/x-ndjson", "application/ndjson", "application/x-ndjson; charset=utf-8", "application/json", "text/plain", "Text/Plain"])
    func acceptedTypes(contentType: String) async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/exceptions/_import", json: Self.export, contentType: contentType)
        #expect(response.status == 200)
        #expect(try response.json()["success_count"] as? Int == 2)
    }

    @Test("missing Content-Type is read as NDJSON")
    func missingContentType() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let response = try await service.client.request("POST", "/exceptions/_import", body: Array(Self.export.utf8))
        #expect(response.status == 200)
        #expect(try response.json()["success_count"] as? Int == 2)
    }
}
