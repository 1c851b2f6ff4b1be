/// A request to close the alerts a new exception item matches, in the same transaction that
/// stores the item.
///
/// Storage knows nothing of events or exception semantics, so the caller supplies the test.
public struct AlertClosing: Sendable {
    /// Only alerts of this rule are considered.
    public var ruleID: String
    /// Recorded as the reason of each status change.
    public var reason: String
    /// Called once, on the writer thread, before the candidates are read. The function it
    /// returns is given each open or acknowledged alert's stored event (JSON text) and returns
    /// true for the alerts to close. It may keep state such as a parser, because it is used on
    /// that one thread only.
    public var makeMatcher: @Sendable () -> (String) -> Bool

    public init(ruleID: String, reason: String, makeMatcher: @escaping @Sendable () -> (String) -> Bool) {
        self.ruleID = ruleID
        self.reason = reason
        self.makeMatcher = makeMatcher
    }
}

extension AlertStatusRepository {
    /// Closes this rule's open and acknowledged alerts whose event `closing` matches, and
    /// returns how many it closed. The ids are collected first and updated after the scan,
    /// so the scan never visits rows that the updates move in the status index.
    func close(_ closing: AlertClosing, context: AuditContext) throws(StorageError) -> Int {
        let matches = closing.makeMatcher()
        let sql = "SELECT id, event FROM alerts WHERE status IN ('open', 'acknowledged') AND rule_id = ?"
        let ids = try connection.withStatement(sql) { statement throws(StorageError) in
            try statement.bind(closing.ruleID, at: 1)
            var ids: [String] = []
            while try statement.step() {
                if matches(statement.text(at: 1)) {
                    ids.append(statement.text(at: 0))
                }
            }
            return ids
        }

        let change = Change(status: .closed, actor: context.actor, reason: closing.reason, atMilliseconds: context.atMilliseconds)
        for id in ids {
            _ = try update(id: id, change)
        }
        return ids.count
    }
}
