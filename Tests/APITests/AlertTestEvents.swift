import Foundation

/// Returns a registry event that the bundled rule matches, with the fields the alert tests vary.
func alertTestEvent(id: String, host: String = "WKS-01", user: String? = "netadmin", ingested: String = "2024-03-01T10:00:00.000Z") -> String {
    var event: [String: Any] = [
        "@timestamp": "2024-03-01T09:59:58.000Z",
        "event": ["id": id, "category": ["registry"], "type": ["change"], "ingested": ingested],
        "host": ["name": host, "os": ["type": "windows"]],
        "process": ["executable": "C:\\Windows\\System32\\netsh.exe", "name": "netsh.exe"],
        "registry": [
            "path": "HKLM\\SYSTEM\\CurrentControlSet\\Services\\PortProxy\\v4tov4\\tcp\\0.0.0.0/8443",
            "data": ["strings": ["192.0.2.10/3389"]],
        ],
    ]
    if let user { event["user"] = ["name": user] }
    let data = try! JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

extension TestService {
    /// Posts events as NDJSON and returns the created alert ids in line order.
    func postAlerts(_ events: [String]) async throws -> [String] {
        let response = try await client.request("POST", "/evaluate", json: events.joined(separator: "\n"), contentType: "application/x-ndjson")
        let results = response.body.isEmpty ? [] : (try response.json()["results"] as? [[String: Any]] ?? [])
        return results.compactMap { $0["alert_id"] as? String }
    }

    /// Returns the ids of `GET target`'s alerts, in order.
    func alertIDs(_ target: String) async throws -> [String] {
        let page = try await client.request("GET", target).json()
        return (page["alerts"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }
}
