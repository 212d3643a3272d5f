import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore {
    /// Translates an `EventQuery` into a WHERE clause over `events` with bind parameters only;
    /// no client text is ever spliced into SQL.
    static func whereClause(for query: EventQuery) -> (String, PostgresBindings) {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func bind(_ value: some PostgresEncodable) -> String {
            try? binds.append(value, context: .default)
            return "$\(binds.count)"
        }

        if !query.types.isEmpty || !query.typePrefixes.isEmpty {
            var alternatives: [String] = []
            if !query.types.isEmpty {
                alternatives.append("type = ANY(\(bind(query.types))::text[])")
            }
            for prefix in query.typePrefixes {
                // A range instead of LIKE keeps the index usable; COLLATE "C" makes it bytewise
                // and case-sensitive like `=`, whatever the database's collation.
                alternatives.append("(type COLLATE \"C\" >= \(bind(prefix)) AND type COLLATE \"C\" < \(bind(prefixUpperBound(prefix))))")
            }
            conditions.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        for (column, value) in [
            ("actor", query.actor), ("actor", query.scopeActor), ("entity_type", query.entityType),
            ("entity_id", query.entityID), ("source", query.source), ("location", query.location),
        ] {
            if let value { conditions.append("\(column) = \(bind(value))") }
        }
        if let range = query.ipRange {
            // Stored IPv4 addresses are inet family 4; the same addresses may also have been
            // sent in IPv4-mapped IPv6 form, which the 16-byte ranges of VigilCore treat as one.
            let networks = Self.networks(of: range)
            conditions.append("(" + networks.map { "ip <<= \(bind($0))::inet" }.joined(separator: " OR ") + ")")
        }
        if !query.severities.isEmpty {
            conditions.append("severity = ANY(\(bind(query.severities.map { Int16($0.rank) }))::smallint[])")
        }
        if let minimum = query.minSeverity {
            conditions.append("severity >= \(bind(Int16(minimum.rank)))")
        }
        if let outcome = query.outcome {
            conditions.append("outcome = \(bind(outcome.rawValue))")
        }
        if let from = query.from {
            conditions.append("occurred_at >= \(bind(from))")
        }
        if let to = query.to {
            conditions.append("occurred_at < \(bind(to))")
        }
        if !query.textTerms.isEmpty {
            // Terms are letters and digits only (TextSearch), so plainto_tsquery ANDs them as words.
            conditions.append("\(PostgresMigrations.searchVector) @@ plainto_tsquery('simple', \(bind(query.textTerms.joined(separator: " "))))")
        }
        for condition in query.details {
            // The text form of the value, so `details.port=22` matches 22 and "22" (as on
            // SQLite); the containment test in front lets the GIN index narrow the rows.
            let key = bind(condition.key)
            let candidates = Self.containmentCandidates(key: condition.key, value: condition.value)
            let containment = candidates.map { "details::jsonb @> \(bind($0))::jsonb" }.joined(separator: " OR ")
            conditions.append(
                """
                (\(containment)) AND (CASE jsonb_typeof(details::jsonb -> \(key)) WHEN 'object' THEN NULL WHEN 'array' THEN NULL
                 WHEN 'null' THEN 'null' ELSE details::jsonb ->> \(key) END) = \(bind(condition.value))
                """
            )
        }
        if let cursor = query.cursor {
            let comparison = query.order == .desc ? "<" : ">"
            conditions.append("(occurred_at, id) \(comparison) (\(bind(cursor.occurredAt)), \(bind(cursor.id)))")
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), binds)
    }

    /// The smallest string greater than every string starting with `prefix`.
    static func prefixUpperBound(_ prefix: String) -> String {
        var scalars = Array(prefix.unicodeScalars)
        let last = scalars.removeLast()
        return String(String.UnicodeScalarView(scalars)) + String(UnicodeScalar(last.value + 1)!)
    }

    /// The JSON objects `{key: value}` a matching row's details must contain: the value as a
    /// string, and as the JSON literal it spells (number, true, false, null) if it is one.
    static func containmentCandidates(key: String, value: String) -> [String] {
        var candidates = [JSONValue.object([key: .string(value)]).canonicalJSON]
        if let literal = try? JSONParser.parse(Array(value.utf8)) {
            switch literal {
            case .int, .double, .bool, .null: candidates.append(JSONValue.object([key: literal]).canonicalJSON)
            default: break
            }
        }
        return candidates
    }

    /// The CIDR spellings of a 16-byte range: as IPv6, plus as IPv4 when it lies in ::ffff:0:0/96.
    static func networks(of range: CIDRRange) -> [String] {
        var bits = 0
        while bits < 128 {
            let byte = bits / 8
            let mask = UInt8(0x80) >> UInt8(bits % 8)
            if range.lower[byte] & mask != range.upper[byte] & mask { break }
            bits += 1
        }
        let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(range.lower[$0]) << 8 | UInt16(range.lower[$0 + 1]), radix: 16) }
        var networks = [groups.joined(separator: ":") + "/\(bits)"]
        let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        if bits >= 96, Array(range.lower.prefix(12)) == mappedPrefix {
            networks.append(range.lower.suffix(4).map(String.init).joined(separator: ".") + "/\(bits - 96)")
        }
        return networks
    }
}
