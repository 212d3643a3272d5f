import Foundation

extension AlertQuery {
    static let repeatable: Set<String> = ["status", "severity"]
    static let single: Set<String> = ["min_severity", "rule_id", "assignee", "q", "from", "to", "order", "sort", "limit", "cursor"]

    /// Builds a query from URL query parameters (percent-decoded), rejecting unknown parameters,
    /// repeated single-valued ones and bad values, each named in the failure.
    public static func parse(_ parameters: [(String, String)]) -> Result<AlertQuery, ValidationFailure> {
        var query = AlertQuery()
        var errors: [FieldError] = []
        var seen: Set<String> = []
        func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }
        let severities = Severity.allCases.map(\.rawValue).joined(separator: ", ")

        for (name, value) in parameters {
            if single.contains(name) {
                guard seen.insert(name).inserted else {
                    fail(name, "must be given at most once")
                    continue
                }
            } else if !repeatable.contains(name) {
                fail(name, "unknown query parameter")
                continue
            }
            switch name {
            case "status":
                // `status=open,acknowledged` and repeated `status=` both work.
                for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                    if let status = AlertStatus(parsing: part.trimmingCharacters(in: .whitespaces)) {
                        if !query.statuses.contains(status) { query.statuses.append(status) }
                    } else {
                        fail(name, "must be one of \(AlertStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
            case "severity":
                if let severity = Severity(parsing: value) { query.severities.append(severity) } else { fail(name, "must be one of \(severities)") }
            case "min_severity":
                if let severity = Severity(parsing: value) { query.minSeverity = severity } else { fail(name, "must be one of \(severities)") }
            case "rule_id":
                if let id = UUID(uuidString: value) { query.ruleID = id } else { fail(name, "must be a UUID") }
            case "assignee":
                if value.isEmpty || value.utf8.count > 64 { fail(name, "must be 1-64 bytes of UTF-8") } else { query.assignee = value }
            case "q":
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.count > EventQuery.maxTextLength || trimmed.utf8.contains(0) {
                    fail(name, "must be 1-\(EventQuery.maxTextLength) characters")
                } else {
                    query.text = trimmed
                }
            case "from", "to":
                guard let time = Timestamp(rfc3339: value) else {
                    fail(name, "must be an RFC 3339 date-time")
                    continue
                }
                if name == "from" { query.from = time } else { query.to = time }
            case "order":
                if let order = EventQuery.Order(rawValue: value.lowercased()) { query.order = order } else { fail(name, "must be asc or desc") }
            case "sort":
                if let sort = Sort(rawValue: value.lowercased()) { query.sort = sort } else { fail(name, "must be created or severity") }
            case "limit":
                if let limit = Int(value), (1...EventQuery.maxLimit).contains(limit) {
                    query.limit = limit
                } else {
                    fail(name, "must be an integer from 1 to \(EventQuery.maxLimit)")
                }
            case "cursor":
                if let cursor = AlertCursor(token: value) { query.cursor = cursor } else { fail(name, "is not a valid cursor") }
            default:
                break
            }
        }
        if let cursor = query.cursor, cursor.order != query.order { fail("cursor", "was issued for order=\(cursor.order.rawValue)") }
        if let cursor = query.cursor, (cursor.severity != nil) != (query.sort == .severity) {
            fail("cursor", "was issued for sort=\(cursor.severity == nil ? "created" : "severity")")
        }
        if let from = query.from, let to = query.to, to < from { fail("to", "must not be before from") }
        return errors.isEmpty ? .success(query) : .failure(ValidationFailure(errors))
    }
}
