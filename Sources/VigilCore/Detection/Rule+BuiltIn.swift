import Foundation

extension Rule {
    /// The rules installed on first start (editable, can be disabled), keyed by a stable name.
    public static func builtIn(now: Timestamp) -> [Rule] {
        var order: Int64 = 0
        func rule(_ name: String, _ description: String, _ severity: RuleSeverity, _ match: RuleMatch, _ threshold: RuleThreshold?) -> Rule {
            // One microsecond apart, so listings (oldest first) keep this order.
            order += 1
            let created = Timestamp(microseconds: now.microseconds + order)
            return Rule(
                id: UUID.v7(at: created),
                name: name,
                description: description,
                severity: severity,
                match: match,
                threshold: threshold,
                suppressSeconds: 300,
                createdAt: created,
                updatedAt: created
            )
        }
        return [
            rule(
                "High severity event",
                "Any event of severity high or critical opens an alert of its own, graded like the event.",
                .fromEvent,
                RuleMatch(minSeverity: .high),
                nil
            ),
            rule(
                "Brute-force login",
                "Five failed logins from one address within 60 seconds.",
                .fixed(.high),
                RuleMatch(types: [AuditEventType.loginFailed.rawValue]),
                RuleThreshold(count: 5, windowSeconds: 60, groupBy: [.ip])
            ),
            rule(
                "Repeated access denied",
                "Ten denied requests by one principal within 60 seconds.",
                .fixed(.medium),
                RuleMatch(types: [AuditEventType.accessDenied.rawValue]),
                RuleThreshold(count: 10, windowSeconds: 60, groupBy: [.actor])
            ),
            rule(
                "Refresh token reuse",
                "A retired refresh token was presented again: the token was probably stolen.",
                .fixed(.critical),
                RuleMatch(types: [AuditEventType.refreshReuseDetected.rawValue]),
                nil
            ),
        ]
    }
}
