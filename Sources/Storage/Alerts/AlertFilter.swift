/// Which alerts a list, an export or a bulk status change applies to. Conditions combine with
/// AND; a list matches any of its values, and an empty list matches every value.
public struct AlertFilter: Sendable, Equatable {
    public var statuses: [AlertStatus]
    /// Exact match on the rule severity (`low`, `medium`, `high`, `critical`).
    public var severities: [String]
    /// Exact, case-sensitive match on `host.name`.
    public var hostName: String?
    /// Exact, case-sensitive match on `user.name`.
    public var userName: String?
    /// Inclusive lower bound on the alert time, in milliseconds since 1970-01-01 UTC.
    public var sinceMilliseconds: Int64?
    /// Inclusive upper bound on the alert time, in milliseconds since 1970-01-01 UTC.
    public var untilMilliseconds: Int64?

    public init(
        statuses: [AlertStatus] = [],
        severities: [String] = [],
        hostName: String? = nil,
        userName: String? = nil,
        sinceMilliseconds: Int64? = nil,
        untilMilliseconds: Int64? = nil
    ) {
        self.statuses = statuses
        self.severities = severities
        self.hostName = hostName
        self.userName = userName
        self.sinceMilliseconds = sinceMilliseconds
        self.untilMilliseconds = untilMilliseconds
    }

    /// The WHERE conditions for this filter, joined with AND by the caller. Each condition is a
    /// constant fragment and every value is a bound parameter, in the order of the fragments.
    func conditions() -> (conditions: [String], parameters: [SQLParameter]) {
        var conditions: [String] = []
        var parameters: [SQLParameter] = []

        let statuses = AlertStatus.allCases.filter(self.statuses.contains)
        if !statuses.isEmpty && statuses.count < AlertStatus.allCases.count {
            conditions.append("status IN (\(Self.placeholders(statuses.count)))")
            parameters += statuses.map { .text($0.rawValue) }
        }
        let severities = Array(Set(self.severities)).sorted()
        if !severities.isEmpty {
            conditions.append("severity IN (\(Self.placeholders(severities.count)))")
            parameters += severities.map { .text($0) }
        }
        if let hostName {
            conditions.append("host_name = ?")
            parameters.append(.text(hostName))
        }
        if let userName {
            conditions.append("user_name = ?")
            parameters.append(.text(userName))
        }
        if let sinceMilliseconds {
            conditions.append("timestamp_ms >= ?")
            parameters.append(.integer(sinceMilliseconds))
        }
        if let untilMilliseconds {
            conditions.append("timestamp_ms <= ?")
            parameters.append(.integer(untilMilliseconds))
        }
        return (conditions, parameters)
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
