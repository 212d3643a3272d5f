import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore {
    /// Translates an `EventQuery` into a WHERE clause over `events` with bind parameters only;
    /// no client text is ever spliced into SQL.
    static func whereClause(for query: EventQuery) -> (String, [SQLiteData]) {
        var conditions: [String] = []
        var binds: [SQLiteData] = []
        func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ",") }

        if !query.types.isEmpty || !query.typePrefixes.isEmpty {
            var alternatives: [String] = []
            if !query.types.isEmpty {
                alternatives.append("type IN (\(placeholders(query.types.count)))")
                binds += query.types.map { .text($0) }
            }
            for prefix in query.typePrefixes {
                // A range instead of LIKE keeps the index usable and is case-sensitive like `=`.
                alternatives.append("(type >= ? AND type < ?)")
                binds += [.text(prefix), .text(Self.prefixUpperBound(prefix))]
            }
            conditions.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        for (column, value) in [
            ("actor", query.actor), ("actor", query.scopeActor), ("entity_type", query.entityType),
            ("entity_id", query.entityID), ("source", query.source), ("location", query.location),
        ] {
            if let value {
                conditions.append("\(column) = ?")
                binds.append(.text(value))
            }
        }
        if let range = query.ipRange {
            conditions.append("ip_bytes BETWEEN ? AND ?")
            binds += [.blob(ByteBuffer(bytes: range.lower)), .blob(ByteBuffer(bytes: range.upper))]
        }
        if !query.severities.isEmpty {
            conditions.append("severity IN (\(placeholders(query.severities.count)))")
            binds += query.severities.map { .integer($0.rank) }
        }
        if let minimum = query.minSeverity {
            conditions.append("severity >= ?")
            binds.append(.integer(minimum.rank))
        }
        if let outcome = query.outcome {
            conditions.append("outcome = ?")
            binds.append(.text(outcome.rawValue))
        }
        if let from = query.from {
            conditions.append("occurred_at >= ?")
            binds.append(.integer(Int(from.microseconds)))
        }
        if let to = query.to {
            conditions.append("occurred_at < ?")
            binds.append(.integer(Int(to.microseconds)))
        }
        if !query.textTerms.isEmpty {
            conditions.append("seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
            binds.append(.text(Self.ftsExpression(query.textTerms)))
        }
        for condition in query.details {
            // Compare the JSON value's text form, so `details.port=22` matches 22 and "22".
            conditions.append(
                """
                (CASE json_type(details, ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN 'null'
                 WHEN 'object' THEN NULL WHEN 'array' THEN NULL ELSE CAST(json_extract(details, ?) AS TEXT) END) = ?
                """
            )
            let path = "$.\"\(condition.key)\""
            binds += [.text(path), .text(path), .text(condition.value)]
        }
        if let cursor = query.cursor {
            conditions.append(query.order == .desc ? "(occurred_at, id) < (?, ?)" : "(occurred_at, id) > (?, ?)")
            binds += [.integer(Int(cursor.occurredAt.microseconds)), .text(cursor.id.lowercased)]
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), binds)
    }

    /// The smallest string greater than every string starting with `prefix`.
    static func prefixUpperBound(_ prefix: String) -> String {
        var scalars = Array(prefix.unicodeScalars)
        let last = scalars.removeLast()
        return String(String.UnicodeScalarView(scalars)) + String(UnicodeScalar(last.value + 1)!)
    }

    /// An FTS5 query requiring every term; each term is quoted so no FTS syntax gets through.
    static func ftsExpression(_ terms: [String]) -> String {
        terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " ")
    }
}
