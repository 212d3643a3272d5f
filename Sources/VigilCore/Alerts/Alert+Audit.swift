extension Alert {
    /// The `alert.created` event recorded in the log, in the same transaction as the alert.
    /// Detection never evaluates it (see `DetectionEngine.isEvaluated`).
    public var createdEvent: PreparedEvent {
        AuditTrail.event(
            .alertCreated,
            severity: self.severity,
            outcome: .success,
            context: AuditContext(actor: AuditTrail.principal),
            entityType: "alert",
            entityID: self.id.lowercased,
            description: self.title,
            details: [
                "rule_id": .string(self.ruleID.lowercased),
                "rule_name": .string(self.ruleName),
                "group_key": .string(self.groupKey),
                "count": .int(Int64(self.count)),
            ]
        ).prepared(receivedAt: self.createdAt, ingestedBy: AuditTrail.principal)
    }
}
