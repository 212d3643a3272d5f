import Foundation

/// A triage change requested for one alert (`PATCH /alerts/{id}`): a new status, a new
/// assignee (or none), and a note. Applied inside the store's transaction, against the alert as
/// it is then, so two admins changing one alert at once are judged one after the other.
public struct AlertUpdate: Sendable, Equatable {
    public enum Assignee: Sendable, Equatable {
        case unchanged
        case set(String?)
    }

    public var status: AlertStatus?
    public var assignee: Assignee
    public var note: String?

    public init(status: AlertStatus? = nil, assignee: Assignee = .unchanged, note: String? = nil) {
        self.status = status
        self.assignee = assignee
        self.note = note
    }

    static let acceptedFields: Set<String> = ["status", "assignee", "note"]
    public static let maxNoteLength = 2000

    /// Reads a PATCH body; every bad field is named. An update that asks for nothing is invalid.
    public static func validate(_ value: JSONValue) -> Result<AlertUpdate, ValidationFailure> {
        guard case .object(let fields) = value else {
            return .failure(ValidationFailure([FieldError(field: "", message: "must be a JSON object, got \(value.typeName)")]))
        }
        var reader = FieldReader(fields: fields)
        for key in fields.keys.sorted() where !acceptedFields.contains(key) { reader.fail(key, "unknown field") }
        var update = AlertUpdate()
        if let text = reader.string("status") {
            if let status = AlertStatus(parsing: text) {
                update.status = status
            } else {
                reader.fail("status", "must be one of \(AlertStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        } else if fields["status"] == .null {
            reader.fail("status", "must not be null")
        }
        if fields["assignee"] != nil {
            let name = reader.string("assignee", maxLength: 64)
            if fields["assignee"] == .null {
                update.assignee = .set(nil)
            } else if let name {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { reader.fail("assignee", "must be a username or null") } else { update.assignee = .set(trimmed) }
            }
        }
        if let note = reader.string("note", maxLength: maxNoteLength) {
            let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { update.note = trimmed }
        }
        if reader.errors.isEmpty && update.status == nil && update.assignee == .unchanged && update.note == nil {
            reader.fail("", "give at least one of status, assignee, note")
        }
        return reader.errors.isEmpty ? .success(update) : .failure(ValidationFailure(reader.errors))
    }

    /// The alert after the change and the history entry recording it. Throws
    /// `VigilError.invalidTransition` for a move the lifecycle does not allow (a reopen without
    /// a note is one). Setting the status an alert already has is not a transition and is only
    /// accepted when something else (assignee, note) is given.
    public func apply(to alert: Alert, by actor: String, at time: Timestamp) throws -> (Alert, AlertHistoryEntry) {
        var changed = alert
        if let status = self.status, status != alert.status {
            guard alert.status.allowedTransitions.contains(status) else {
                throw VigilError.invalidTransition(
                    from: alert.status.rawValue,
                    to: status.rawValue,
                    allowed: alert.status.allowedTransitions.map(\.rawValue),
                    detail: nil
                )
            }
            if alert.status.needsNote(to: status) && self.note == nil {
                throw VigilError.invalidTransition(
                    from: alert.status.rawValue,
                    to: status.rawValue,
                    allowed: alert.status.allowedTransitions.map(\.rawValue),
                    detail: "Reopening an alert needs a note saying why."
                )
            }
            changed.status = status
        } else if self.status != nil && self.assignee == .unchanged && self.note == nil {
            throw VigilError.invalidTransition(
                from: alert.status.rawValue,
                to: alert.status.rawValue,
                allowed: alert.status.allowedTransitions.map(\.rawValue),
                detail: "The alert is already \(alert.status.rawValue)."
            )
        }
        if case .set(let assignee) = self.assignee { changed.assignee = assignee }
        changed.updatedAt = max(time, alert.updatedAt)
        let entry = AlertHistoryEntry(
            at: changed.updatedAt,
            by: actor,
            from: alert.status,
            to: changed.status,
            assignee: changed.assignee,
            note: self.note
        )
        return (changed, entry)
    }
}

extension VigilError {
    /// The status change is not allowed from where the alert is (409).
    public static func invalidTransition(from: String, to: String, allowed: [String], detail: String?) -> VigilError {
        .conflict(
            code: "invalid_transition",
            detail: detail ?? "An alert cannot go from \(from) to \(to); allowed from \(from): \(allowed.joined(separator: ", ")).",
            errors: [FieldError(field: "status", message: "allowed from \(from): \(allowed.joined(separator: ", "))")]
        )
    }
}
