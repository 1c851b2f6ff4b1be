/// The identity of a posted event. Events with the same identity get one alert per rule.
public enum EventIdentity: Sendable, Hashable, CustomStringConvertible {
    /// An Elasticsearch search hit's `_index` and `_id`.
    case searchHit(index: String, id: String)
    /// The event's `event.id`.
    case eventID(String)
    /// The lowercase hex SHA-256 of the event's canonical form.
    case contentHash(String)

    /// The identity as one string: `hit:INDEX/ID`, `event.id:ID` or `sha256:HEX`. An index name
    /// cannot contain `/` in Elasticsearch, so the hit form is unambiguous.
    public var description: String {
        switch self {
        case .searchHit(let index, let id): "hit:\(index)/\(id)"
        case .eventID(let id): "event.id:\(id)"
        case .contentHash(let digest): "sha256:\(digest)"
        }
    }
}
