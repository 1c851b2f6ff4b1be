/// The rule by which a pattern compares letters that differ only in case.
public enum CaseMatching: Sendable, Hashable {
    /// Scalars match only themselves.
    case sensitive
    /// ASCII letters match either case and every other scalar only itself. Elasticsearch 8.x
    /// builds its `case_insensitive` term and wildcard queries this way, so Kibana exception
    /// entries with `case_insensitive: true` compare like this.
    case asciiLetters
    /// Simple Unicode case folding (`CaseFolding.fold`), which EQL's `:` and `~` use here.
    case unicodeFolding
    /// Each scalar is replaced by its simple Unicode lowercase mapping (`CaseFolding.lowercase`),
    /// as Elasticsearch's `lowercase` normalizer does to a keyword field and to the query value.
    case lowercase

    /// Maps one pattern or subject scalar value to the form that is compared.
    @inline(__always)
    func map(_ scalar: UInt32) -> UInt32 {
        if scalar < 0x80 {
            return self == .sensitive || scalar < 0x41 || scalar > 0x5A ? scalar : scalar | 0x20
        }
        return mapNonASCII(scalar)
    }

    /// Maps a scalar value of 0x80 or above.
    @inline(__always)
    func mapNonASCII(_ scalar: UInt32) -> UInt32 {
        switch self {
        case .sensitive, .asciiLetters: scalar
        case .unicodeFolding: CaseFolding.fold(scalar)
        case .lowercase: CaseFolding.lowercase(scalar)
        }
    }
}

/// Simple (one scalar to one scalar) Unicode case folding, which EQL's case-insensitive
/// operators apply here.
///
/// A scalar folds to the lowercase of its uppercase, so that `Σ`, `σ` and the final `ς` all fold
/// to `σ`. Mappings that expand to several scalars (`ß` to `SS`) are left alone, because a
/// one-to-one fold keeps `?` matching exactly one character.
enum CaseFolding {
    /// Folds one scalar value. ASCII takes a branch-only path; other scalars use a table built
    /// once from the Unicode case mappings.
    @inline(__always)
    static func fold(_ scalar: UInt32) -> UInt32 {
        if scalar < 0x80 {
            if scalar >= 0x41 && scalar <= 0x5A {
                return scalar | 0x20
            }
            return scalar
        }
        return nonASCIITable[scalar] ?? scalar
    }

    /// Maps one scalar value to its simple lowercase mapping, which is what Lucene's
    /// `LowerCaseFilter` (Java's `Character.toLowerCase`) applies per code point. `σ` and the
    /// final `ς` stay different, unlike with `fold`.
    @inline(__always)
    static func lowercase(_ scalar: UInt32) -> UInt32 {
        if scalar < 0x80 {
            if scalar >= 0x41 && scalar <= 0x5A {
                return scalar | 0x20
            }
            return scalar
        }
        return nonASCIILowercaseTable[scalar] ?? scalar
    }

    /// Non-ASCII scalars whose simple lowercase mapping differs from themselves. Swift exposes
    /// the full mapping, which equals the simple one wherever it is one scalar long. Only U+0130
    /// (İ) has a longer full lowercase, and its simple lowercase is `i`.
    private static let nonASCIILowercaseTable: [UInt32: UInt32] = {
        var table: [UInt32: UInt32] = [0x130: 0x69]
        for value in UInt32(0x80)...UInt32(0x1E943) {
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenLowercased else {
                continue
            }
            if let lower = singleScalar(scalar.properties.lowercaseMapping), lower != scalar {
                table[value] = lower.value
            }
        }
        return table
    }()

    /// Non-ASCII scalars whose fold differs from themselves.
    private static let nonASCIITable: [UInt32: UInt32] = {
        var table: [UInt32: UInt32] = [:]
        for value in UInt32(0x80)...UInt32(0x1E943) {
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenCaseMapped else {
                continue
            }
            let upper = singleScalar(scalar.properties.uppercaseMapping) ?? scalar
            let folded =
                singleScalar(upper.properties.lowercaseMapping)
                ?? singleScalar(scalar.properties.lowercaseMapping)
                ?? scalar
            if folded != scalar {
                table[value] = folded.value
            }
        }
        return table
    }()

    private static func singleScalar(_ mapping: String) -> Unicode.Scalar? {
        let scalars = mapping.unicodeScalars
        guard scalars.count == 1 else {
            return nil
        }
        return scalars.first
    }
}

/// Decoding of one Unicode scalar from UTF-8 bytes without building a `String`.
enum UTF8Scalar {
    /// Scalar values above the Unicode range stand for bytes that are not valid UTF-8, so that a
    /// malformed byte matches only `?` or `*`, never a literal character.
    static let invalidByteBase: UInt32 = 0x11_0000

    /// Decodes the scalar that starts at `offset` and returns it with its length in bytes.
    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> (value: UInt32, length: Int) {
        let lead = UInt32(bytes[offset])
        if lead < 0x80 {
            return (lead, 1)
        }
        let count = bytes.count
        func continuation(_ index: Int) -> UInt32? {
            guard index < count else {
                return nil
            }
            let byte = UInt32(bytes[index])
            return byte & 0xC0 == 0x80 ? byte & 0x3F : nil
        }
        if lead & 0xE0 == 0xC0, lead >= 0xC2, let b1 = continuation(offset + 1) {
            return ((lead & 0x1F) << 6 | b1, 2)
        }
        if lead & 0xF0 == 0xE0, let b1 = continuation(offset + 1), let b2 = continuation(offset + 2) {
            let value = (lead & 0x0F) << 12 | b1 << 6 | b2
            if value >= 0x800 && !(0xD800...0xDFFF).contains(value) {
                return (value, 3)
            }
        }
        if lead & 0xF8 == 0xF0, let b1 = continuation(offset + 1), let b2 = continuation(offset + 2),
            let b3 = continuation(offset + 3)
        {
            let value = (lead & 0x07) << 18 | b1 << 12 | b2 << 6 | b3
            if value >= 0x1_0000 && value <= 0x10_FFFF {
                return (value, 4)
            }
        }
        return (invalidByteBase + lead, 1)
    }
}
