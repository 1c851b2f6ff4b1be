import Foundation
import Testing

@Suite("Exceptions through HTTP", .serialized)
struct ExceptionRouteTests {
    static let adminItem = #"""
        {"name":"Network team jump host","description":"portproxy set-up by the admin account",
         "entries":[
           {"field":"user.name","operator":"included","type":"match","value":"netadmin"},
           {"field":"process.command_line","operator":"included","type":"wildcard","value":"netsh interface portproxy add *"}
         ]}
        """#

    @Test("user and command line item suppresses only full matches")
    func userAndCommandLine() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let created = try await service.client.request("POST", "/exceptions", json: Self.adminItem)
        #expect(created.status == 201)
        let item = try created.json()
        let exceptionID = try #require(item["id"] as? String)
        #expect(created.header("Location") == "/exceptions/\(exceptionID)")

        let commandLine = "netsh interface portproxy add v4tov4 listenport=8443 connectaddress=192.0.2.10 connectport=3389"
        let both = portProxyEvent(id: "exc-both", userName: "netadmin", commandLine: commandLine)
        let userOnly = portProxyEvent(id: "exc-user", userName: "netadmin")
        let commandOnly = portProxyEvent(id: "exc-cmd", commandLine: commandLine)
        let otherUser = portProxyEvent(id: "exc-other", userName: "mallory", commandLine: commandLine)
        let body = [both, userOnly, commandOnly, otherUser].joined(separator: "\n")

        let response = try await service.client.request("POST", "/evaluate", json: body, contentType: "application/x-ndjson").json()
        let results = try #require(response["results"] as? [[String: Any]])
        #expect(results[0]["result"] as? String == "suppressed")
        #expect(results[0]["exception_id"] as? String == exceptionID)
        #expect(results[1]["result"] as? String == "alert")
        #expect(results[2]["result"] as? String == "alert")
        #expect(results[3]["result"] as? String == "alert")
        #expect(response["suppressed"] as? Int == 1)
        #expect(response["alerts_created"] as? Int == 3)
    }

    @Test("deleting an item stops suppression")
    func deleteStopsSuppression() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = try await service.client.request("POST", "/exceptions", json: Self.adminItem).json()
        let exceptionID = try #require(item["id"] as? String)
        let event = portProxyEvent(id: "del-1", userName: "netadmin", commandLine: "netsh interface portproxy add v4tov4 listenport=1")

        let suppressed = try await service.client.request("POST", "/evaluate", json: event).json()
        #expect(suppressed["suppressed"] as? Int == 1)

        let deleted = try await service.client.request("DELETE", "/exceptions/\(exceptionID)")
        #expect(deleted.status == 200)
        #expect(try await service.client.request("GET", "/exceptions/\(exceptionID)").status == 404)

        let alerted = try await service.client.request("POST", "/evaluate", json: event).json()
        #expect(alerted["alerts_created"] as? Int == 1)
    }

    @Test("list, read and replace")
    func crud() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let item = try await service.client.request("POST", "/exceptions", json: Self.adminItem).json()
        let exceptionID = try #require(item["id"] as? String)

        let list = try await service.client.request("GET", "/exceptions").json()
        #expect(list["total"] as? Int == 1)

        let replacement = #"{"name":"renamed","entries":[{"field":"host.name","operator":"included","type":"match","value":"WKS-01"}]}"#
        let replaced = try await service.client.request("PUT", "/exceptions/\(exceptionID)", json: replacement)
        #expect(replaced.status == 200)
        let fetched = try await service.client.request("GET", "/exceptions/\(exceptionID)").json()
        #expect(fetched["name"] as? String == "renamed")
        #expect(fetched["item_id"] as? String == item["item_id"] as? String)

        let missing = try await service.client.request("PUT", "/exceptions/no-such-id", json: replacement)
        #expect(missing.status == 404)
    }

    @Test("invalid entry gets 422 with a pointer")
    func validation() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let bad =
            #"{"name":"bad","entries":[{"field":"user.name","operator":"included","type":"match","value":"a"},{"field":"user.name","operator":"included","type":"match_any","value":"not-a-list"}]}"#
        let response = try await service.client.request("POST", "/exceptions", json: bad)
        #expect(response.status == 422)
        let problem = try response.json()
        #expect((problem["pointer"] as? String)?.hasPrefix("/entries/1") == true)

        let missingEntries = try await service.client.request("POST", "/exceptions", json: #"{"name":"no entries"}"#)
        #expect(missingEntries.status == 422)
        #expect(try missingEntries.json()["pointer"] as? String == "/entries")
    }
}
