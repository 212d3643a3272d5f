import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore {
    /// Translates an `EventQuery` into a WHERE clause over `events` with bind parameters only;
    /// no client text is ever spliced into SQL.
    static func whereClause(for query: EventQuery) -> (String, [SQLiteData]) {
        let filter = Self.filter(for: query)
        return (filter.whereClause, filter.binds)
    }

    /// The conditions of `whereClause(for:)`, to add more to.
    static func filter(for query: EventQuery) -> SQLiteFilter {
        var filter = SQLiteFilter()
        if !query.types.isEmpty || !query.typePrefixes.isEmpty {
            var alternatives: [String] = []
            var values: [SQLiteData] = []
            if !query.types.isEmpty {
                alternatives.append("type IN (\(SQLiteFilter.placeholders(query.types.count)))")
                values += query.types.map { .text($0) }
            }
            for prefix in query.typePrefixes {
                // A range instead of LIKE keeps the index usable and is case-sensitive like `=`.
                alternatives.append("(type >= ? AND type < ?)")
                values += [.text(prefix), .text(Self.prefixUpperBound(prefix))]
            }
            filter.add("(" + alternatives.joined(separator: " OR ") + ")", values)
        }
        for (column, value) in [
            ("actor", query.actor), ("actor", query.scopeActor), ("entity_type", query.entityType),
            ("entity_id", query.entityID), ("source", query.source), ("location", query.location),
        ] {
            if let value {
                filter.add("\(column) = ?", .text(value))
            }
        }
        if let range = query.ipRange {
            filter.add("ip_bytes BETWEEN ? AND ?", .blob(ByteBuffer(bytes: range.lower)), .blob(ByteBuffer(bytes: range.upper)))
        }
        if !query.severities.isEmpty {
            filter.add("severity", in: query.severities.map { .integer($0.rank) })
        }
        if let minimum = query.minSeverity {
            filter.add("severity >= ?", .integer(minimum.rank))
        }
        if let outcome = query.outcome {
            filter.add("outcome = ?", .text(outcome.rawValue))
        }
        if let from = query.from {
            filter.add("occurred_at >= ?", .integer(Int(from.microseconds)))
        }
        if let to = query.to {
            filter.add("occurred_at < ?", .integer(Int(to.microseconds)))
        }
        if !query.textTerms.isEmpty {
            let (condition, terms) = SQLiteWordMatch.condition(query.textTerms)
            filter.add(condition, terms)
        }
        for condition in query.details {
            // Compare the JSON value's text form, so `details.port=22` matches 22 and "22".
            let path = "$.\"\(condition.key)\""
            filter.add(
                """
                (CASE json_type(details, ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN 'null'
                 WHEN 'object' THEN NULL WHEN 'array' THEN NULL ELSE CAST(json_extract(details, ?) AS TEXT) END) = ?
                """,
                .text(path),
                .text(path),
                .text(condition.value)
            )
        }
        if let cursor = query.cursor {
            filter.add(
                query.order == .desc ? "(occurred_at, id) < (?, ?)" : "(occurred_at, id) > (?, ?)",
                .integer(Int(cursor.occurredAt.microseconds)),
                .text(cursor.id.lowercased)
            )
        }
        return filter
    }

    /// The smallest string greater than every string starting with `prefix`.
    static func prefixUpperBound(_ prefix: String) -> String {
        var scalars = Array(prefix.unicodeScalars)
        let last = scalars.removeLast()
        return String(String.UnicodeScalarView(scalars)) + String(UnicodeScalar(last.value + 1)!)
    }
}
