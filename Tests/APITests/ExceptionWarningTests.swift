import Foundation
import Testing

/// Warnings for exception items that are valid but unlikely to do what their author meant.
@Suite("Exception item warnings", .serialized)
struct ExceptionWarningTests {
    @Test("excluded-only item is flagged")
    func excludedOnly() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"{"name":"not the jump host","entries":[{"field":"host.name","operator":"excluded","type":"match","value":"JUMP-01"}]}"#
        let response = try await service.client.request("POST", "/exceptions", json: item)
        #expect(response.status == 201)
        let warnings = ExceptionDroppedFieldTests.warningsByPointer(try response.json())
        #expect(warnings["/entries"]?.contains("every entry is excluded") == true)
    }

    @Test("past expire_time is flagged")
    func pastExpiry() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"""
            {"name":"old","expire_time":"2020-01-01T00:00:00.000Z",
             "entries":[{"field":"user.name","operator":"included","type":"match","value":"netadmin"}]}
            """#
        let response = try await service.client.request("POST", "/exceptions", json: item)
        #expect(response.status == 201)
        let warnings = ExceptionDroppedFieldTests.warningsByPointer(try response.json())
        #expect(warnings["/expire_time"] == "expire_time 2020-01-01T00:00:00.000Z has already passed, so the item suppresses nothing")
    }

    @Test("ordinary item has no warnings")
    func ordinaryItem() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = #"""
            {"name":"admin","expire_time":"2099-01-01T00:00:00.000Z",
             "entries":[{"field":"user.name","operator":"included","type":"match","value":"netadmin"},
                        {"field":"host.name","operator":"excluded","type":"match","value":"DC-01"}]}
            """#
        let response = try await service.client.request("POST", "/exceptions", json: item)
        #expect(response.status == 201)
        #expect(try response.json()["warnings"] == nil)
    }
}
