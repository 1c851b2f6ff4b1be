import CSimdJSON

/// The fields that a compiled query or exception set reads, each with a slot number, as a trie
/// of their name segments that the C walker follows through a document in one pass.
///
/// Besides value slots, a table can have presence slots, which the walker fills with the first
/// scalar found at a field or anywhere below it, for `exists` on object fields. Only the C walker
/// fills presence slots; `EventFieldSlots` serves value slots only.
///
/// Built once at compile time and immutable afterwards.
final class FieldTable: @unchecked Sendable {
    // The C arrays are written only in `init` and read-only afterwards, so sharing is safe.

    /// The fields of the value slots, in slot order.
    let paths: [FieldPath]
    /// The fields of the presence slots, whose slot numbers follow the value slots.
    let presencePaths: [FieldPath]
    private let nodes: UnsafeMutableBufferPointer<csj_trie_node>
    /// One presence slot (or -1) per node; nil when the table has no presence slots.
    private let nodePresenceSlots: UnsafeMutableBufferPointer<Int32>?
    private let edges: UnsafeMutableBufferPointer<csj_trie_edge>
    /// The segment bytes that the edges point into, NUL-free and not terminated.
    private let segmentBytes: UnsafeMutableBufferPointer<CChar>
    private let trie: UnsafeMutablePointer<csj_field_trie>

    /// Assigns slots in the order of first appearance, value slots first; a repeated path keeps
    /// its first slot of each kind.
    init(_ fields: [FieldPath], presence presenceFields: [FieldPath] = []) {
        var paths: [FieldPath] = []
        for field in fields where !paths.contains(field) {
            paths.append(field)
        }
        var presencePaths: [FieldPath] = []
        for field in presenceFields where !presencePaths.contains(field) {
            presencePaths.append(field)
        }
        self.paths = paths
        self.presencePaths = presencePaths

        // Build the trie in Swift first: each node has its children by segment and its slots.
        var children: [[(segment: String, node: Int)]] = [[]]
        var slots: [Int32] = [-1]
        var presenceSlots: [Int32] = [-1]
        func node(for path: FieldPath) -> Int {
            var node = 0
            for segment in path.segments {
                if let next = children[node].first(where: { $0.segment == segment })?.node {
                    node = next
                } else {
                    children.append([])
                    slots.append(-1)
                    presenceSlots.append(-1)
                    children[node].append((segment, children.count - 1))
                    node = children.count - 1
                }
            }
            return node
        }
        for (slot, path) in paths.enumerated() {
            slots[node(for: path)] = Int32(slot)
        }
        for (index, path) in presencePaths.enumerated() {
            presenceSlots[node(for: path)] = Int32(paths.count + index)
        }

        let edgeCount = children.reduce(0) { $0 + $1.count }
        let byteCount = children.joined().reduce(0) { $0 + $1.segment.utf8.count }
        nodes = .allocate(capacity: children.count)
        edges = .allocate(capacity: max(edgeCount, 1))
        segmentBytes = .allocate(capacity: max(byteCount, 1))

        var edgeIndex = 0
        var byteOffset = 0
        for (node, outgoing) in children.enumerated() {
            nodes[node] = csj_trie_node(first_edge: UInt32(edgeIndex), edge_count: UInt32(outgoing.count), slot: slots[node])
            for (segment, target) in outgoing {
                let start = segmentBytes.baseAddress! + byteOffset
                for byte in segment.utf8 {
                    segmentBytes[byteOffset] = CChar(bitPattern: byte)
                    byteOffset += 1
                }
                let (head, headMask) = Self.head(of: segment)
                edges[edgeIndex] = csj_trie_edge(
                    segment: start, length: segment.utf8.count, head: head, head_mask: headMask, node: UInt32(target))
                edgeIndex += 1
            }
        }
        if presencePaths.isEmpty {
            nodePresenceSlots = nil
        } else {
            let buffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: presenceSlots.count)
            _ = buffer.initialize(from: presenceSlots)
            nodePresenceSlots = buffer
        }
        trie = .allocate(capacity: 1)
        trie.initialize(
            to: csj_field_trie(nodes: nodes.baseAddress, edges: edges.baseAddress, presence_slots: nodePresenceSlots?.baseAddress))
    }

    /// Returns the first bytes of `segment`, up to 8, as a little-endian word, and the mask that
    /// keeps that many bytes of a word.
    private static func head(of segment: String) -> (UInt64, UInt64) {
        var head: UInt64 = 0
        for (index, byte) in segment.utf8.prefix(8).enumerated() {
            head |= UInt64(byte) << (8 * UInt64(index))
        }
        let count = min(segment.utf8.count, 8)
        let mask: UInt64 = count == 8 ? .max : (1 << (8 * UInt64(count))) - 1
        return (head.littleEndian, mask.littleEndian)
    }

    deinit {
        nodes.deallocate()
        nodePresenceSlots?.deallocate()
        edges.deallocate()
        segmentBytes.deallocate()
        trie.deallocate()
    }

    /// Returns the value slot of `path`, when the table has it.
    func slot(of path: FieldPath) -> Int? {
        paths.firstIndex(of: path)
    }

    /// Returns the presence slot of `path`, when the table has one.
    func presenceSlot(of path: FieldPath) -> Int? {
        presencePaths.firstIndex(of: path).map { paths.count + $0 }
    }

    /// The number of value slots.
    var count: Int { paths.count }

    /// Collects the values of every field of the table from an event's root object into
    /// `values`, unless the object is a search hit. Returns the hit's `_source` value (of any
    /// type) without collecting in that case, because the event's fields are in the source.
    ///
    /// Also reports whether the root's first member is one that Elasticsearch writes first in a
    /// search hit or response, as `csj_collect_event_fields` describes.
    func collect(fromRootOf object: JSONElement, into values: CollectedFields) -> (source: JSONElement?, looksLikeSearchOutput: Bool) {
        var isHit = false
        var source = csj_element()
        var looksLikeSearchOutput = false
        values.fill { hits, capacity in
            csj_collect_event_fields(object.raw, trie, hits, capacity, &isHit, &source, &looksLikeSearchOutput)
        }
        return (isHit ? JSONElement(raw: source) : nil, looksLikeSearchOutput)
    }

    /// Collects the values of every field of the table from `object` into `values`.
    func collect(from object: JSONElement, into values: CollectedFields) {
        values.fill { hits, capacity in
            csj_collect_fields(object.raw, trie, hits, capacity)
        }
    }
}
