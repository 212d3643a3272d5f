/// What `GET /api/v1/events/export` was asked for: every filter of `GET /api/v1/events`, a
/// format and an order (oldest first unless `order=desc`; an audit file reads chronologically).
/// Pages do not apply: `limit` and `cursor` are refused rather than silently ignored.
public struct ExportRequest: Sendable, Equatable {
    public var query: EventQuery
    public var format: ExportFormat
    /// `proofs=true` (NDJSON only): a ledger bundle, each event with its inclusion proof.
    public var proofs = false
    /// The parameters as given (without `format`), recorded in the `events.exported` event.
    public var filters: [String: JSONValue]

    /// Parses the query parameters (already percent-decoded); every bad one is named.
    public static func parse(_ parameters: [(String, String)]) -> Result<ExportRequest, ValidationFailure> {
        var errors: [FieldError] = []
        var format = ExportFormat.csv
        var formats = 0
        var rest: [(String, String)] = []
        var filters: [String: JSONValue] = [:]
        var hasOrder = false
        var proofs = false
        for (name, value) in parameters {
            switch name {
            case "format":
                formats += 1
                if formats > 1 {
                    errors.append(FieldError(field: name, message: "must be given at most once"))
                } else if let parsed = ExportFormat(rawValue: value.lowercased()) {
                    format = parsed
                } else {
                    errors.append(FieldError(field: name, message: "must be csv or ndjson"))
                }
            case "proofs":
                if value == "true" {
                    proofs = true
                } else if value != "false" {
                    errors.append(FieldError(field: name, message: "must be true or false"))
                }
            case "limit", "cursor":
                errors.append(FieldError(field: name, message: "is not supported by exports, which return every matching event"))
            default:
                if name == "order" { hasOrder = true }
                rest.append((name, value))
                // Repeated parameters (type, severity) are kept as lists.
                switch filters[name] {
                case .array(let values)?: filters[name] = .array(values + [.string(value)])
                case .string(let first)?: filters[name] = .array([.string(first), .string(value)])
                default: filters[name] = .string(value)
                }
            }
        }
        if !hasOrder { rest.append(("order", "asc")) }
        var query = EventQuery()
        switch EventQuery.parse(rest) {
        case .success(let parsed): query = parsed
        case .failure(let failure): errors += failure.errors
        }
        if proofs && format != .ndjson { errors.append(FieldError(field: "proofs", message: "needs format=ndjson")) }
        guard errors.isEmpty else { return .failure(ValidationFailure(errors)) }
        var request = ExportRequest(query: query, format: format, filters: filters)
        request.proofs = proofs
        return .success(request)
    }
}
