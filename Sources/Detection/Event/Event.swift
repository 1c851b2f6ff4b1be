/// One decoded event: a view of the decoder's current document.
///
/// Valid only inside the `visit` closure of `EventDecoder.decode`, because the next event may
/// be parsed into the same memory. Copy out what you need to keep, such as `sourceJSON()`.
public struct Event: EventFields {
    public let position: EventPosition
    /// The event object: the body, an array element, or a search hit's `_source`.
    let source: JSONElement
    /// The search hit that contains `source`, when the event came as one.
    let hit: JSONElement?

    init(position: EventPosition, source: JSONElement, hit: JSONElement?) {
        self.position = position
        self.source = source
        self.hit = hit
    }

    /// The Elasticsearch index and document id of a search hit. Nil for a plain event and for a
    /// hit without a string `_index`.
    public var searchHit: (index: String, id: String?)? {
        guard let hit, let index = hit.member("_index")?.string else { return nil }
        return (index, hit.member("_id")?.string)
    }

    /// Returns the event as minified JSON: a search hit's `_source`, else the event object itself.
    public func sourceJSON() -> String {
        source.minifiedJSON()
    }

    public func forEachValue(of path: FieldPath, _ body: (FieldValue) -> Bool) {
        source.forEachFieldValue(path.segments, from: 0, body)
    }

    /// Returns what identifies this event across requests: the search hit's `_index` and
    /// `_id`, else `event.id`, else a SHA-256 of the event's canonical form.
    public func identity() -> EventIdentity {
        identity(eventID: firstString(AlertEventFields.eventIDField))
    }

    /// Returns the identity like `identity()`, given the first string value of `event.id`.
    func identity(eventID: String?) -> EventIdentity {
        if let hit = searchHit, let id = hit.id, !id.isEmpty {
            return .searchHit(index: hit.index, id: id)
        }
        if let eventID, !eventID.isEmpty {
            return .eventID(eventID)
        }
        return .contentHash(CanonicalEventHash.hexDigest(of: source))
    }
}
