extension EventQuery {
    public static let maxLimit = 1000
    public static let maxTextLength = 256
    static let repeatable: Set<String> = ["type", "severity"]
    static let single: Set<String> = [
        "actor", "entity_type", "entity_id", "source", "location", "ip", "min_severity", "outcome",
        "from", "to", "q", "order", "limit", "cursor",
    ]

    /// Builds a query from URL query parameters (already percent-decoded), rejecting unknown
    /// parameters, repeated single-valued ones and bad values, each named in the failure.
    public static func parse(_ parameters: [(String, String)]) -> Result<EventQuery, ValidationFailure> {
        var query = EventQuery()
        var errors: [FieldError] = []
        var seen: Set<String> = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }

        for (name, value) in parameters {
            if name.hasPrefix("details.") {
                let key = String(name.dropFirst("details.".count))
                if DetailKey.isValid(key), value.utf8.count <= maxShortValue {
                    query.details.append(DetailCondition(key: key, value: value))
                } else {
                    fail(name, "details key must be 1-128 characters of A-Z a-z 0-9 _ - . and the value at most \(maxShortValue) bytes")
                }
                continue
            }
            if single.contains(name) {
                if seen.contains(name) {
                    fail(name, "must be given at most once")
                    continue
                }
                seen.insert(name)
            } else if !repeatable.contains(name) {
                fail(name, "unknown query parameter")
                continue
            }
            switch name {
            case "type":
                if value.hasSuffix(".*"), EventType.isValid(String(value.dropLast(2))) {
                    query.typePrefixes.append(String(value.dropLast()))
                } else if EventType.isValid(value) {
                    query.types.append(value)
                } else {
                    fail(name, "must be an event type or a prefix like auth.*")
                }
            case "severity":
                if let severity = Severity(parsing: value) {
                    query.severities.append(severity)
                } else {
                    fail(name, "must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            case "min_severity":
                if let severity = Severity(parsing: value) {
                    query.minSeverity = severity
                } else {
                    fail(name, "must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            case "outcome":
                if let outcome = Outcome(parsing: value) {
                    query.outcome = outcome
                } else {
                    fail(name, "must be one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            case "actor", "entity_type", "entity_id", "source", "location":
                guard value.utf8.count <= maxShortValue else {
                    fail(name, "must be at most \(maxShortValue) bytes of UTF-8")
                    continue
                }
                switch name {
                case "actor": query.actor = value
                case "entity_type": query.entityType = value
                case "entity_id": query.entityID = value
                case "source": query.source = value
                default: query.location = value
                }
            case "ip":
                if let range = CIDRRange(value) { query.ipRange = range } else { fail(name, "must be an IP address or CIDR range") }
            case "from", "to":
                guard let time = Timestamp(rfc3339: value) else {
                    fail(name, "must be an RFC 3339 date-time")
                    continue
                }
                if name == "from" { query.from = time } else { query.to = time }
            case "q":
                let terms = TextSearch.terms(in: value)
                if value.utf8.count > maxTextLength {
                    fail(name, "must be at most \(maxTextLength) bytes of UTF-8")
                } else if terms.isEmpty {
                    fail(name, "must contain at least one letter or digit")
                } else {
                    query.textTerms = terms
                }
            case "order":
                if let order = Order(rawValue: value.lowercased()) { query.order = order } else { fail(name, "must be asc or desc") }
            case "limit":
                if let limit = Int(value), (1...maxLimit).contains(limit) {
                    query.limit = limit
                } else {
                    fail(name, "must be an integer from 1 to \(maxLimit)")
                }
            case "cursor":
                if let cursor = EventCursor(token: value) { query.cursor = cursor } else { fail(name, "is not a valid cursor") }
            default:
                break
            }
        }
        if let cursor = query.cursor, cursor.order != query.order {
            fail("cursor", "was issued for order=\(cursor.order.rawValue)")
        }
        if let from = query.from, let to = query.to, to < from {
            fail("to", "must not be before from")
        }
        return errors.isEmpty ? .success(query) : .failure(ValidationFailure(errors))
    }

    static let maxShortValue = 256
}

/// Names usable in `details.KEY` filters. Restricted so every engine can address them safely.
public enum DetailKey {
    public static func isValid(_ key: String) -> Bool {
        ASCIIName.isValid(key, lengths: 1...128, extra: "_-.")
    }
}

/// How free text is split into search terms, shared by every engine.
public enum TextSearch {
    /// Lower-cased runs of letters and digits; at most 16 terms (a query).
    public static func terms(in text: String) -> [String] {
        var terms: [String] = []
        self.forEachWord(in: text) { word in
            if terms.count < 16 { terms.append(word) }
        }
        return terms
    }

    /// The words of `texts`, split like `terms(in:)`, repeats included (what an engine indexes).
    /// Words longer than `maxIndexedWordBytes` are left out: no query can name them, and
    /// PostgreSQL's tsvector refuses words of 2,047 bytes or more.
    public static func words(in texts: [String?]) -> [String] {
        var words: [String] = []
        for case let text? in texts {
            self.forEachWord(in: text) { word in
                if word.utf8.count <= maxIndexedWordBytes { words.append(word) }
            }
        }
        return words
    }

    /// The event fields full text searches, by their API (and column) names, in the order of
    /// `texts(of:)`.
    public static let fields = ["type", "actor", "entity_type", "entity_id", "source", "location", "description"]

    /// The values of `fields` of `event`, in that order.
    public static func texts(of event: Event) -> [String?] {
        [event.type, event.actor, event.entityType, event.entityID, event.source, event.location, event.description]
    }

    /// Whether every one of `terms` is among the words of `texts` (what a query's `q` asks).
    public static func containsAll(_ terms: [String], in texts: [String?]) -> Bool {
        var missing = Set(terms)
        guard !missing.isEmpty else { return true }
        for case let text? in texts {
            self.forEachWord(in: text) { word in missing.remove(word) }
            if missing.isEmpty { return true }
        }
        return false
    }

    /// Longer than any term a query can hold (`q` is at most 256 bytes, and lower-casing can
    /// lengthen a word by at most half again), shorter than PostgreSQL's 2,047.
    public static let maxIndexedWordBytes = 1024

    private static func forEachWord(in text: String, _ body: (String) -> Void) {
        // ASCII text (nearly all of it) is split on bytes; for ASCII, Character.isLetter and
        // isNumber are exactly [A-Za-z] and [0-9], so both paths agree.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var word: [UInt8] = []
            for var byte in text.utf8 {
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 32 }
                if (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                    word.append(byte)
                } else if !word.isEmpty {
                    body(String(decoding: word, as: UTF8.self))
                    word.removeAll(keepingCapacity: true)
                }
            }
            if !word.isEmpty { body(String(decoding: word, as: UTF8.self)) }
            return
        }
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                body(current)
                current = ""
            }
        }
        if !current.isEmpty { body(current) }
    }
}
