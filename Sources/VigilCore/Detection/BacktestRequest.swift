import Foundation

/// A backtest request body: `{from?, to?, rule?}`. `to` defaults to now, `from` to a day
/// before `to`; the span is at most `maxSpanDays`. `rule` is a full rule definition when there
/// is no saved rule, or a partial edit of the saved one (try an edit before saving it).
public struct BacktestRequest: Sendable {
    public static let maxSpanDays = 31
    static let acceptedFields: Set<String> = ["from", "to", "rule"]

    public var rule: Rule
    public var from: Timestamp
    public var to: Timestamp

    public static func validate(_ value: JSONValue, saved: Rule?, now: Timestamp) -> Result<BacktestRequest, ValidationFailure> {
        guard case .object(let fields) = value else {
            return .failure(ValidationFailure([FieldError(field: "", message: "must be a JSON object, got \(value.typeName)")]))
        }
        var reader = FieldReader(fields: fields)
        for key in fields.keys.sorted() where !acceptedFields.contains(key) { reader.fail(key, "unknown field") }
        var errors: [FieldError] = []
        func time(_ name: String) -> Timestamp? {
            guard let text = reader.string(name) else { return nil }
            guard let time = Timestamp(rfc3339: text) else {
                errors.append(FieldError(field: name, message: "must be an RFC 3339 date-time"))
                return nil
            }
            return time
        }
        let to = time("to") ?? now
        let from = time("from") ?? to.adding(seconds: -86_400)
        if to <= from {
            errors.append(FieldError(field: "to", message: "must be after from"))
        } else if to.microseconds - from.microseconds > Int64(maxSpanDays) * 86_400_000_000 {
            errors.append(FieldError(field: "from", message: "the range may span at most \(maxSpanDays) days"))
        }
        var rule = saved
        switch fields["rule"] {
        case .none, .some(.null):
            if saved == nil { errors.append(FieldError(field: "rule", message: "is required")) }
        case .some(let definition):
            switch Rule.validate(definition, onto: saved, now: now) {
            case .success(let parsed): rule = parsed
            case .failure(let failure):
                errors += failure.errors.map { FieldError(field: $0.field.isEmpty ? "rule" : "rule.\($0.field)", message: $0.message) }
            }
        }
        errors = reader.errors + errors
        guard errors.isEmpty, let rule else { return .failure(ValidationFailure(errors)) }
        return .success(BacktestRequest(rule: rule, from: from, to: to))
    }
}
