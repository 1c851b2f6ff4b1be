import Foundation
import Testing

/// Re-importing items that detectd already stores: what is written, audited and counted.
@Suite("Exception import of unchanged items", .serialized)
struct ExceptionImportUnchangedTests {
    static func importExport(_ service: TestService, _ body: String) async throws -> [String: Any] {
        let response = try await ExceptionInterchangeTests.importExport(service, body, query: "?overwrite=true")
        #expect(response.status == 200)
        return try response.json()
    }

    static func auditEntries(_ service: TestService) async throws -> [[String: Any]] {
        let audit = try await service.client.request("GET", "/audit?limit=1000").json()
        return try #require(audit["entries"] as? [[String: Any]])
    }

    static func item(_ service: TestService, itemID: String) async throws -> [String: Any] {
        let response = try await service.client.request("GET", "/exceptions/\(itemID)")
        #expect(response.status == 200)
        return try response.json()
    }

    @Test("same export twice writes once")
    func sameExportTwice() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let first = try await Self.importExport(service, ExceptionInterchangeTests.kibanaExport)
        #expect(first["success_count"] as? Int == 2)
        #expect(first["unchanged"] as? Int == 0)
        #expect(try await Self.auditEntries(service).count == 2)
        let before = try await Self.item(service, itemID: "jump-host")

        let second = try await Self.importExport(service, ExceptionInterchangeTests.kibanaExport)
        #expect(second["success"] as? Bool == true)
        // success_count keeps Kibana's meaning (every item imported), and unchanged is the part of it not written.
        #expect(second["success_count"] as? Int == 2)
        #expect(second["success_count_exception_list_items"] as? Int == 2)
        #expect(second["unchanged"] as? Int == 2)
        #expect((second["errors"] as? [Any])?.isEmpty == true)
        // Dropped fields are still reported, because they describe the line, not the write.
        #expect((second["dropped_fields"] as? [Any])?.count == 3)
        #expect(try await Self.auditEntries(service).count == 2)
        let after = try await Self.item(service, itemID: "jump-host")
        #expect(after["updated_at"] as? String == before["updated_at"] as? String)
    }

    @Test("one changed item is one update")
    func oneChangedItem() async throws {
        let service = try await TestService()
        defer { service.stop() }
        _ = try await Self.importExport(service, ExceptionInterchangeTests.kibanaExport)
        let labHosts = try await Self.item(service, itemID: "lab-hosts")
        let changed = ExceptionInterchangeTests.kibanaExport.replacingOccurrences(
            of: #""name":"Lab hosts""#, with: #""name":"Lab hosts until 2031""#)
        #expect(changed != ExceptionInterchangeTests.kibanaExport)

        let report = try await Self.importExport(service, changed)
        #expect(report["success_count"] as? Int == 2)
        #expect(report["unchanged"] as? Int == 1)

        let entries = try await Self.auditEntries(service)
        #expect(entries.count == 3)
        let newest = try #require(entries.first)
        #expect(newest["action"] as? String == "replace")
        #expect(newest["object_id"] as? String == labHosts["id"] as? String)
        #expect((newest["before"] as? [String: Any])?["name"] as? String == "Lab hosts")
        #expect((newest["after"] as? [String: Any])?["name"] as? String == "Lab hosts until 2031")
        #expect(try await Self.item(service, itemID: "lab-hosts")["name"] as? String == "Lab hosts until 2031")
    }

    @Test("own export imports unchanged")
    func ownExportUnchanged() async throws {
        let service = try await TestService()
        defer { service.stop() }
        // This item has no list_id, so the export writes it under detectd's default list.
        let created = try await service.client.request("POST", "/exceptions", json: ExceptionRouteTests.adminItem)
        #expect(created.status == 201)
        _ = try await Self.importExport(service, ExceptionInterchangeTests.kibanaExport)
        let auditCount = try await Self.auditEntries(service).count
        #expect(auditCount == 3)

        let export = try await service.client.request("GET", "/exceptions/_export")
        #expect(export.status == 200)
        let report = try await Self.importExport(service, export.text)
        #expect(report["success_count"] as? Int == 3)
        #expect(report["unchanged"] as? Int == 3)
        #expect(try await Self.auditEntries(service).count == auditCount)
    }

    @Test("unchanged item without overwrite conflicts")
    func unchangedWithoutOverwrite() async throws {
        let service = try await TestService()
        defer { service.stop() }
        _ = try await Self.importExport(service, ExceptionInterchangeTests.kibanaExport)

        // As in Kibana, an existing item_id without ?overwrite=true is a conflict, equal or not.
        let again = try await ExceptionInterchangeTests.importExport(service, ExceptionInterchangeTests.kibanaExport).json()
        #expect(again["unchanged"] as? Int == 0)
        let errors = try #require(again["errors"] as? [[String: Any]])
        #expect(errors.map { ($0["error"] as? [String: Any])?["status_code"] as? Int } == [409, 409])
        #expect(try await Self.auditEntries(service).count == 2)
    }
}
