import Foundation

extension Rule {
    static let acceptedFields: Set<String> = ["name", "description", "enabled", "severity", "match", "threshold", "suppress_seconds"]
    static let acceptedMatchFields: Set<String> = ["types", "min_severity", "sources", "outcome", "actors", "ip_cidrs", "details"]
    static let acceptedThresholdFields: Set<String> = ["count", "window_seconds", "group_by"]

    /// Builds a rule from a create request (`base` nil: `name`, `severity` and `match` required)
    /// or applies an update to `base` (only the fields given change). Every problem is reported
    /// with its field path (`match.types[1]`, `threshold.count`).
    public static func validate(_ value: JSONValue, onto base: Rule?, now: Timestamp) -> Result<Rule, ValidationFailure> {
        guard case .object(let fields) = value else {
            return .failure(ValidationFailure([FieldError(field: "", message: "must be a JSON object, got \(value.typeName)")]))
        }
        var errors = RuleErrors()
        errors.unknown(fields, allowed: acceptedFields, prefix: "")
        var rule =
            base
            ?? Rule(id: UUID.v7(at: now), name: "", severity: .fixed(.medium), match: RuleMatch(), createdAt: now, updatedAt: now)
        if base == nil {
            for required in ["name", "severity", "match"] where fields[required] == nil || fields[required] == .null {
                errors.add(required, "is required")
            }
        }
        if let name = errors.string(fields, "name") {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.utf8.count > 128 { errors.add("name", "must be 1-128 bytes of UTF-8") } else { rule.name = trimmed }
        }
        if let description = errors.string(fields, "description") {
            if description.utf8.count > 2000 {
                errors.add("description", "must be at most 2000 bytes of UTF-8")
            } else {
                rule.description = description
            }
        }
        if let enabled = errors.bool(fields, "enabled") { rule.enabled = enabled }
        if let text = errors.string(fields, "severity") {
            if let severity = RuleSeverity(text: text) {
                rule.severity = severity
            } else {
                errors.add("severity", "must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")), from_event")
            }
        }
        if let match = fields["match"], match != .null {
            if let parsed = Self.match(match, errors: &errors) { rule.match = parsed }
        }
        if let threshold = fields["threshold"] {
            rule.threshold = threshold == .null ? nil : Self.threshold(threshold, errors: &errors)
        }
        if let seconds = errors.int(fields, "suppress_seconds", in: 0...(30 * 86_400)) { rule.suppressSeconds = seconds }
        rule.updatedAt = now
        return errors.list.isEmpty ? .success(rule) : .failure(ValidationFailure(errors.list))
    }

    private static func match(_ value: JSONValue, errors: inout RuleErrors) -> RuleMatch? {
        guard case .object(let fields) = value else {
            errors.add("match", "must be a JSON object, got \(value.typeName)")
            return nil
        }
        errors.unknown(fields, allowed: acceptedMatchFields, prefix: "match.")
        var match = RuleMatch()
        for (index, type) in (errors.strings(fields, "types", path: "match.types") ?? []).enumerated() {
            if type.hasSuffix(".*"), EventType.isValid(String(type.dropLast(2))) {
                match.typePrefixes.append(String(type.dropLast()))
            } else if EventType.isValid(type) {
                match.types.append(type)
            } else {
                errors.add("match.types[\(index)]", "must be an event type or a prefix like auth.*")
            }
        }
        if let text = errors.string(fields, "min_severity", path: "match.min_severity") {
            if let severity = Severity(parsing: text) { match.minSeverity = severity } else { errors.add("match.min_severity", "is not a severity") }
        }
        if let text = errors.string(fields, "outcome", path: "match.outcome") {
            if let outcome = Outcome(parsing: text) { match.outcome = outcome } else { errors.add("match.outcome", "is not an outcome") }
        }
        match.sources = errors.strings(fields, "sources", path: "match.sources") ?? []
        match.actors = errors.strings(fields, "actors", path: "match.actors") ?? []
        for (index, text) in (errors.strings(fields, "ip_cidrs", path: "match.ip_cidrs") ?? []).enumerated() {
            if let range = CIDRRange(text) {
                match.ipRanges.append(range)
            } else {
                errors.add("match.ip_cidrs[\(index)]", "is not an address or CIDR range")
            }
        }
        if let details = fields["details"], details != .null {
            if case .object(let members) = details {
                for (key, value) in members.sorted(by: { $0.key < $1.key }) {
                    guard DetailKey.isValid(key) else {
                        errors.add("match.details", "key '\(key)' must be 1-128 of A-Z a-z 0-9 _ -")
                        continue
                    }
                    if let text = RuleMatch.text(of: value) {
                        match.details[key] = text
                    } else {
                        errors.add("match.details.\(key)", "must be a string, number, boolean or null")
                    }
                }
            } else {
                errors.add("match.details", "must be a JSON object, got \(details.typeName)")
            }
        }
        return match
    }

    private static func threshold(_ value: JSONValue, errors: inout RuleErrors) -> RuleThreshold? {
        guard case .object(let fields) = value else {
            errors.add("threshold", "must be a JSON object or null, got \(value.typeName)")
            return nil
        }
        errors.unknown(fields, allowed: acceptedThresholdFields, prefix: "threshold.")
        for required in ["count", "window_seconds"] where fields[required] == nil { errors.add("threshold.\(required)", "is required") }
        let count = errors.int(fields, "count", in: 1...100_000, path: "threshold.count")
        let window = errors.int(fields, "window_seconds", in: 1...(7 * 86_400), path: "threshold.window_seconds")
        var groupBy: [RuleThreshold.GroupField] = []
        for (index, name) in (errors.strings(fields, "group_by", path: "threshold.group_by") ?? []).enumerated() {
            if let field = RuleThreshold.GroupField(rawValue: name), !groupBy.contains(field) {
                groupBy.append(field)
            } else {
                errors.add(
                    "threshold.group_by[\(index)]",
                    "must be one of \(RuleThreshold.GroupField.allCases.map(\.rawValue).joined(separator: ", ")), once"
                )
            }
        }
        guard let count, let window else { return nil }
        return RuleThreshold(count: count, windowSeconds: window, groupBy: groupBy)
    }
}

/// Field errors of one rule request, with typed readers that record wrong types by path.
struct RuleErrors {
    var list: [FieldError] = []

    mutating func add(_ field: String, _ message: String) { self.list.append(FieldError(field: field, message: message)) }

    mutating func unknown(_ fields: [String: JSONValue], allowed: Set<String>, prefix: String) {
        for key in fields.keys.sorted() where !allowed.contains(key) { self.add(prefix + key, "unknown field") }
    }

    mutating func string(_ fields: [String: JSONValue], _ name: String, path: String? = nil) -> String? {
        switch fields[name] {
        case .none, .some(.null): return nil
        case .some(.string(let text)) where !text.utf8.contains(0): return text
        case .some(.string): self.add(path ?? name, FieldReader.nulMessage)
        case .some(let other): self.add(path ?? name, "must be a string, got \(other.typeName)")
        }
        return nil
    }

    mutating func bool(_ fields: [String: JSONValue], _ name: String) -> Bool? {
        switch fields[name] {
        case .none, .some(.null): return nil
        case .some(.bool(let flag)): return flag
        case .some(let other): self.add(name, "must be a boolean, got \(other.typeName)")
        }
        return nil
    }

    mutating func int(_ fields: [String: JSONValue], _ name: String, in range: ClosedRange<Int>, path: String? = nil) -> Int? {
        switch fields[name] {
        case .none, .some(.null): return nil
        case .some(.int(let number)) where range.contains(Int(number)): return Int(number)
        case .some: self.add(path ?? name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return nil
    }

    /// A list of non-empty strings (≤ 256 characters each, at most 100).
    mutating func strings(_ fields: [String: JSONValue], _ name: String, path: String) -> [String]? {
        switch fields[name] {
        case .none, .some(.null): return nil
        case .some(.array(let items)) where items.count <= 100:
            var strings: [String] = []
            for (index, item) in items.enumerated() {
                if case .string(let text) = item, !text.isEmpty, text.count <= 256, !text.utf8.contains(0) {
                    strings.append(text)
                } else {
                    self.add("\(path)[\(index)]", "must be a non-empty string of at most 256 characters")
                }
            }
            return strings
        case .some: self.add(path, "must be an array of at most 100 strings")
        }
        return nil
    }
}
