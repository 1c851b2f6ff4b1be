import Foundation
import Testing

@Suite("Alert triage through HTTP", .serialized)
struct AlertTriageTests {
    @Test("twenty concurrent posts store one alert")
    func concurrentPostsStoreOne() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let event = alertTestEvent(id: "same-event")
        let client = service.client

        let results = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let body = try await client.request("POST", "/evaluate", json: event).json()
                    return (body["results"] as? [[String: Any]])?.first?["result"] as? String
                }
            }
            var results: [String?] = []
            for try await result in group {
                results.append(result)
            }
            return results
        }

        #expect(results.filter { $0 == "alert" }.count == 1)
        #expect(results.filter { $0 == "duplicate" }.count == 19)
        #expect(try await service.alertIDs("/alerts?limit=100").count == 1)
    }

    @Test("max_signals batch is one transaction")
    func maxSignalsBatchIsOneTransaction() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let first = (0..<60).map { alertTestEvent(id: "batch-\($0)") }
        _ = try await service.postAlerts(first)
        let transactionsBefore = service.database.writeStatistics.committedTransactions

        let all = (0..<150).map { alertTestEvent(id: "batch-\($0)") }
        let response = try await service.client.request("POST", "/evaluate", json: all.joined(separator: "\n"), contentType: "application/x-ndjson").json()

        #expect(response["alerts_created"] as? Int == 90)
        #expect(response["duplicates"] as? Int == 60)
        #expect(response["not_persisted"] as? Int == 0)
        #expect(service.database.writeStatistics.committedTransactions == transactionsBefore + 1)
    }

    @Test("truncated executions are counted")
    func truncatedExecutionsCounted() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let events = (0..<130).map { alertTestEvent(id: "many-\($0)") }

        let response = try await service.client.request("POST", "/evaluate", json: events.joined(separator: "\n"), contentType: "application/x-ndjson").json()

        #expect(response["alerts_created"] as? Int == 100)
        #expect(response["not_persisted"] as? Int == 30)
        #expect((response["warnings"] as? [String])?.count == 1)
        #expect(service.database.writeStatistics.truncatedAlertInserts == 1)
    }

    @Test("severity, sort, order and total")
    func severitySortOrderTotal() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([
            alertTestEvent(id: "t1", ingested: "2024-03-01T10:00:00Z"),
            alertTestEvent(id: "t2", ingested: "2024-03-01T11:00:00Z"),
            alertTestEvent(id: "t3", ingested: "2024-03-01T12:00:00Z"),
        ])

        #expect(try await service.alertIDs("/alerts") == ids.reversed())
        #expect(try await service.alertIDs("/alerts?order=asc") == ids)
        #expect(try await service.alertIDs("/alerts?sort=@timestamp:asc") == ids)
        #expect(try await service.alertIDs("/alerts?sort=%40timestamp&order=desc") == ids.reversed())
        #expect(try await service.alertIDs("/alerts?severity=medium,high").count == 3)
        #expect(try await service.alertIDs("/alerts?severity=high") == [])

        let page = try await service.client.request("GET", "/alerts?limit=1&total=true").json()
        #expect(page["total"] as? Int == 3)
        #expect(try await service.client.request("GET", "/alerts?limit=1").json()["total"] == nil)
        #expect(try await service.client.request("GET", "/alerts?sort=@timestamp:asc&order=desc").status == 400)
        #expect(try await service.client.request("GET", "/alerts?sort=host.name").status == 400)
        #expect(try await service.client.request("GET", "/alerts?severity=urgent").status == 400)
    }

    @Test("cursor stays correct while alerts arrive")
    func cursorStableWhileAlertsArrive() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let early = try await service.postAlerts((0..<5).map { alertTestEvent(id: "early-\($0)", ingested: "2024-03-01T10:00:0\($0)Z") })

        let first = try await service.client.request("GET", "/alerts?limit=2").json()
        _ = try await service.postAlerts((0..<3).map { alertTestEvent(id: "late-\($0)", ingested: "2024-03-02T10:00:0\($0)Z") })
        var seen = (first["alerts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        var cursor = first["next_cursor"] as? String
        while let next = cursor {
            let page = try await service.client.request("GET", "/alerts?limit=2&cursor=\(next)").json()
            seen += (page["alerts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            cursor = page["next_cursor"] as? String
        }

        #expect(seen == early.reversed())
    }

    @Test("related alerts of host or user")
    func relatedAlertsOfHostOrUser() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([
            alertTestEvent(id: "r-subject", host: "WKS-01", user: "alice", ingested: "2024-03-10T12:00:00Z"),
            alertTestEvent(id: "r-host", host: "WKS-01", user: "bob", ingested: "2024-03-09T12:00:00Z"),
            alertTestEvent(id: "r-user", host: "WKS-02", user: "alice", ingested: "2024-03-12T11:00:00Z"),
            alertTestEvent(id: "r-too-late", host: "WKS-01", user: "alice", ingested: "2024-03-12T13:00:00Z"),
            alertTestEvent(id: "r-other", host: "WKS-03", user: "carol", ingested: "2024-03-10T12:00:00Z"),
        ])

        let response = try await service.client.request("GET", "/alerts/\(ids[0])/related")
        let related = try response.json()

        #expect(response.status == 200)
        #expect((related["alerts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[2], ids[1]])
        #expect(related["since"] as? String == "2024-03-08T12:00:00.000Z")
        #expect(related["until"] as? String == "2024-03-12T12:00:00.000Z")
        #expect(related["has_more"] as? Bool == false)
        #expect(try await service.client.request("GET", "/alerts/unknown/related").status == 404)
        #expect(try await service.client.request("GET", "/alerts/\(ids[0])/related?limit=0").status == 400)
    }

    @Test("bulk status by ids and by filter")
    func bulkStatusByIDsAndFilter() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let ids = try await service.postAlerts([
            alertTestEvent(id: "b1", host: "WKS-01"),
            alertTestEvent(id: "b2", host: "WKS-01"),
            alertTestEvent(id: "b3", host: "WKS-02"),
        ])

        let byIDs = try await service.client.request(
            "POST", "/alerts/_status", json: #"{"status":"acknowledged","reason":"triage","ids":["\#(ids[0])","missing"]}"#)
        let byIDsBody = try byIDs.json()
        #expect(byIDs.status == 200)
        #expect(byIDsBody["updated"] as? Int == 1)
        #expect(byIDsBody["not_found"] as? [String] == ["missing"])

        let byFilter = try await service.client.request(
            "POST", "/alerts/_status", json: #"{"status":"closed","reason":"lab host","filter":{"host.name":"WKS-01","status":["open","acknowledged"]}}"#)
        #expect(byFilter.status == 200)
        #expect(try byFilter.json()["updated"] as? Int == 2)
        #expect(try await service.alertIDs("/alerts?status=closed").sorted() == [ids[0], ids[1]].sorted())

        let alert = try await service.client.request("GET", "/alerts/\(ids[0])").json()
        let history = try #require(alert["status_history"] as? [[String: Any]])
        #expect(history.map { $0["to"] as? String } == ["acknowledged", "closed"])
        #expect(history.map { $0["reason"] as? String } == ["triage", "lab host"])
        #expect(history.allSatisfy { $0["actor"] as? String == "api" })
    }

    @Test("bulk status rejects bad bodies")
    func bulkStatusRejectsBadBodies() async throws {
        let service = try await TestService()
        defer { service.stop() }
        let cases: [(body: String, pointer: String)] = [
            (#"{"status":"done","ids":["a"]}"#, "/status"),
            (#"{"status":"closed"}"#, ""),
            (#"{"status":"closed","ids":["a"],"filter":{"host.name":"x"}}"#, ""),
            (#"{"status":"closed","ids":[]}"#, "/ids"),
            (#"{"status":"closed","filter":{}}"#, "/filter"),
            (#"{"status":"closed","filter":{"host_name":"x"}}"#, "/filter/host_name"),
            (#"{"status":"closed","filter":{"since":"yesterday"}}"#, "/filter/since"),
        ]
        for (body, pointer) in cases {
            let response = try await service.client.request("POST", "/alerts/_status", json: body)
            #expect(response.status == 422, "\(body)")
            #expect(try response.json()["pointer"] as? String == pointer, "\(body)")
        }
    }

    @Test("ready reports size and retention")
    func readyReportsSizeAndRetention() async throws {
        let service = try await TestService()
        defer { service.stop() }

        let ready = try await service.client.request("GET", "/ready").json()

        #expect(ready["status"] as? String == "ready")
        #expect(((ready["database"] as? [String: Any])?["size_bytes"] as? Int ?? 0) > 0)
        #expect(ready["last_retention_run"] is NSNull)
    }
}
