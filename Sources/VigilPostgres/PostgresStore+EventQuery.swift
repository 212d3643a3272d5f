import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore {
    /// Translates an `EventQuery` (plus the bounds the search strategy adds) into a WHERE clause
    /// over `events` with bind parameters only; no client text is ever spliced into SQL.
    static func whereClause(for query: EventQuery, bounds: ScanBounds = .init()) -> (String, BindList) {
        var conditions: [String] = []
        var bind = BindList()

        // Equality filters go through the facets GIN index (see EventSearchColumns). The
        // planner still prefers walking the time index when a value is common; both are exact.
        var required: [String] = []
        for (tag, value) in [
            ("a:", query.actor), ("a:", query.scopeActor), ("et:", query.entityType), ("e:", query.entityID),
            ("s:", query.source), ("l:", query.location),
        ] {
            if let value { required.append(tag + value) }
        }
        if !required.isEmpty {
            conditions.append("facets @> \(bind(required))::text[]")
        }
        if !query.types.isEmpty || !query.typePrefixes.isEmpty {
            let anyOf = query.types.map { "t:" + $0 } + query.typePrefixes.map { "p:" + $0 }
            conditions.append("facets && \(bind(anyOf))::text[]")
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
            // Terms and stored words are both split by TextSearch; the tsquery requires every term.
            conditions.append("search @@ \(bind(EventSearchColumns.tsqueryLiteral(query.textTerms)))::tsquery")
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
        if let end = bounds.inclusiveEnd {
            let comparison = query.order == .desc ? ">=" : "<="
            conditions.append("(occurred_at, id) \(comparison) (\(bind(end.occurredAt)), \(bind(end.id)))")
        }
        if let edge = bounds.windowEdge {
            conditions.append(query.order == .desc ? "occurred_at >= \(bind(edge))" : "occurred_at < \(bind(edge))")
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), bind)
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
