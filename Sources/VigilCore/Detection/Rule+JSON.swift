import Foundation

extension Rule {
    /// The rule as a JSON value in the API's shape, without id and times: what stores keep and
    /// what `Rule.validate` reads back, so one codec serves the API and both engines.
    public var definition: JSONValue {
        var match: [String: JSONValue] = [:]
        let types = self.match.types + self.match.typePrefixes.map { $0 + "*" }
        if !types.isEmpty { match["types"] = .array(types.map(JSONValue.string)) }
        if let minimum = self.match.minSeverity { match["min_severity"] = .string(minimum.rawValue) }
        if !self.match.sources.isEmpty { match["sources"] = .array(self.match.sources.map(JSONValue.string)) }
        if let outcome = self.match.outcome { match["outcome"] = .string(outcome.rawValue) }
        if !self.match.actors.isEmpty { match["actors"] = .array(self.match.actors.map(JSONValue.string)) }
        if !self.match.ipRanges.isEmpty { match["ip_cidrs"] = .array(self.match.ipRanges.map { .string($0.text) }) }
        if !self.match.details.isEmpty { match["details"] = .object(self.match.details.mapValues(JSONValue.string)) }
        var threshold = JSONValue.null
        if let value = self.threshold {
            threshold = .object([
                "count": .int(Int64(value.count)),
                "window_seconds": .int(Int64(value.windowSeconds)),
                "group_by": .array(value.groupBy.map { .string($0.rawValue) }),
            ])
        }
        return .object([
            "name": .string(self.name),
            "description": .string(self.description),
            "enabled": .bool(self.enabled),
            "severity": .string(self.severity.text),
            "match": .object(match),
            "threshold": threshold,
            "suppress_seconds": .int(Int64(self.suppressSeconds)),
        ])
    }

    /// A stored rule: its definition (as written by `definition`) with its identity and times.
    /// Nil if the stored text no longer validates (never expected; callers skip such a row).
    public static func stored(id: UUID, definition text: String, createdAt: Timestamp, updatedAt: Timestamp) -> Rule? {
        guard let json = try? JSONParser.parse(Array(text.utf8)), case .success(var rule) = Rule.validate(json, onto: nil, now: updatedAt)
        else { return nil }
        rule.id = id
        rule.createdAt = createdAt
        rule.updatedAt = updatedAt
        return rule
    }

    /// The API representation: the definition plus `id`, `created_at`, `updated_at`.
    public var json: String {
        guard case .object(var members) = self.definition else { return "{}" }
        members["id"] = .string(self.id.lowercased)
        members["created_at"] = .string(self.createdAt.rfc3339)
        members["updated_at"] = .string(self.updatedAt.rfc3339)
        return JSONValue.object(members).canonicalJSON
    }
}
