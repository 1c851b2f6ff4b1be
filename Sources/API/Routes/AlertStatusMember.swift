import Storage

/// The workflow status named in a request body. detectd calls the member `status`, and Kibana
/// calls it `workflow_status` after the alert field `kibana.alert.workflow_status`. A body may
/// give either name, or both with the same value.
enum AlertStatusMember {
    /// Returns the status that `status` and `workflowStatus` name. Raises a 422 problem when
    /// neither is given, when a value is not a workflow status, or when the two disagree.
    static func resolve(status: String?, workflowStatus: String?) throws -> AlertStatus {
        var resolved: AlertStatus?
        for (name, value) in [("status", status), ("workflow_status", workflowStatus)] {
            guard let value else {
                continue
            }
            guard let parsed = AlertStatus(rawValue: value) else {
                throw APIProblem.unprocessable(
                    "'\(name)' must be open, acknowledged or closed, not '\(APIProblem.excerpt(value))'.", pointer: "/" + name)
            }
            if let resolved, resolved != parsed {
                throw APIProblem.unprocessable(
                    "'status' is '\(resolved.rawValue)' but 'workflow_status' is '\(parsed.rawValue)'. Both name the alert's workflow status, so give one of them or the same value in both.",
                    pointer: "/workflow_status")
            }
            resolved = parsed
        }
        guard let resolved else {
            throw APIProblem.unprocessable(
                "The member 'status' is missing. Set it, or Kibana's name for it, 'workflow_status', to open, acknowledged or closed.",
                pointer: "/status")
        }
        return resolved
    }
}

extension KeyedDecodingContainer {
    /// Decodes a status member that may be absent but not null, so that `"workflow_status": null`
    /// is reported instead of read as a missing member.
    func decodeStatusMember(forKey key: Key) throws -> String? {
        guard contains(key) else {
            return nil
        }
        return try decode(String.self, forKey: key)
    }
}
