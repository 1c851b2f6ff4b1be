import Foundation
import Testing

@testable import Detection

@Suite("Alert document")
struct AlertDocumentTests {
    func document(_ json: String) throws -> [String: Any] {
        let rule = try Rule.bundled()
        let text = try #require(
            try withEvent(json) { event in
                AlertBuilder.build(rule: rule, event: event, receivedAt: Date(timeIntervalSince1970: 1_800_000_000)).documentJSON()
            })
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(object as? [String: Any])
    }

    @Test("corpus alert document")
    func corpusDocument() throws {
        let line = try Corpus.line(13, of: "eas_panache_edr_testing_rec4945-4966.elastic_agent.ndjson")
        let document = try document(line)

        #expect((document["id"] as? String)?.count == 64)
        #expect(document["@timestamp"] as? String == "2025-01-15T10:00:06.123Z")
        #expect(document["timestamp_field"] as? String == "event.ingested")
        #expect(document["original_time"] as? String == "2019-07-29T21:33:59.803Z")
        #expect(document["received_at"] as? String == "2027-01-15T08:00:00.000Z")
        #expect((document["event_identity"] as? String)?.hasPrefix("sha256:") == true)
        #expect((document["reason"] as? String)?.hasPrefix("registry change to HKLM") == true)
        #expect(document["status"] == nil)

        let rule = try #require(document["rule"] as? [String: Any])
        #expect(rule["id"] as? String == "3535c8bb-3bd5-40f4-ae32-b7cd589d5372")
        #expect(rule["rule_id"] as? String == "3535c8bb-3bd5-40f4-ae32-b7cd589d5372")
        #expect(rule["name"] as? String == "Port Forwarding Rule Addition")
        #expect(rule["version"] as? Int == 6)
        #expect(rule["severity"] as? String == "medium")
        #expect(rule["risk_score"] as? Int == 47)
        let threat = try #require((rule["threat"] as? [[String: Any]])?.first)
        #expect((threat["tactic"] as? [String: Any])?["id"] as? String == "TA0011")
        #expect(((threat["technique"] as? [[String: Any]])?.first)?["id"] as? String == "T1572")

        let host = try #require(document["host"] as? [String: Any])
        #expect(host["name"] as? String == "MSEDGEWIN10")
        #expect((host["os"] as? [String: Any])?["type"] as? String == "windows")
        #expect((document["user"] as? [String: Any])?["id"] as? String == "S-1-5-18")

        let process = try #require(document["process"] as? [String: Any])
        #expect(process["pid"] as? Int == 4028)
        #expect(process["name"] as? String == "netsh.exe")
        #expect(process["entity_id"] as? String == "{747F3D96-6647-5D3F-0000-001057768B00}")

        let registry = try #require(document["registry"] as? [String: Any])
        #expect(registry["hive"] as? String == "HKLM")
        #expect(registry["value"] as? String == "0.0.0.0/8080")
        let data = try #require(registry["data"] as? [String: Any])
        #expect(data["strings"] as? [String] == ["192.168.1.1/8000"])
        #expect(data["type"] as? String == "REG_SZ")

        let event = try #require(document["event"] as? [String: Any])
        #expect(event["action"] as? String == "RegistryEvent (Value Set)")
        #expect(event["code"] as? String == "13")

        let portProxy = try #require(document["port_proxy"] as? [String: Any])
        #expect(portProxy["family"] as? String == "v4tov4")
        #expect(portProxy["protocol"] as? String == "tcp")
        #expect(portProxy["listen_address"] as? String == "0.0.0.0")
        #expect(portProxy["listen_port"] as? Int == 8080)
        #expect(portProxy["connect_address"] as? String == "192.168.1.1")
        #expect(portProxy["connect_port"] as? Int == 8000)
        #expect(portProxy["parse_error"] == nil)

        let source = try #require(document["source_event"] as? [String: Any])
        let original = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: source).isEqual(to: original))
    }

    @Test("sparse event document")
    func sparseDocument() throws {
        let document = try document(#"{"message":"quote \" and \\ and \u0001"}"#)
        #expect(document["original_time"] is NSNull)
        #expect(document["port_proxy"] is NSNull)
        #expect(document["host"] == nil)
        #expect(document["registry"] == nil)
        #expect((document["source_event"] as? [String: Any])?["message"] as? String == "quote \" and \\ and \u{01}")
    }

    @Test("multiple values as an array")
    func multipleValues() throws {
        let document = try document(#"{"user.name":["u1","u2"],"process":{"pid":42},"registry.data.strings":"only"}"#)
        #expect((document["user"] as? [String: Any])?["name"] as? [String] == ["u1", "u2"])
        #expect((document["process"] as? [String: Any])?["pid"] as? Int == 42)
        let data = (document["registry"] as? [String: Any])?["data"] as? [String: Any]
        #expect(data?["strings"] as? [String] == ["only"])
    }

    @Test("port proxy parse error in document")
    func parseErrorDocument() throws {
        let document = try document(#"{"registry":{"path":"HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/http"}}"#)
        let portProxy = try #require(document["port_proxy"] as? [String: Any])
        #expect(portProxy["listen_port"] == nil)
        #expect(portProxy["parse_error"] as? String == "listen endpoint '0.0.0.0/http' has port 'http', expected a number from 0 to 65535")
    }

    @Test("search hit source event")
    func hitSource() throws {
        let document = try document(#"{"_index":"winlogbeat-8","_id":"x","_source":{"host":{"name":"h"}}}"#)
        #expect((document["source_event"] as? [String: Any])?.keys.sorted() == ["host"])
        #expect(document["event_identity"] as? String == "hit:winlogbeat-8/x")
    }
}
