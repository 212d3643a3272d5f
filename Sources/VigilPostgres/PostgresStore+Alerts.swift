import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore {
    public func alerts(matching query: AlertQuery) async throws -> AlertPage {
        var bind = BindList()
        var conditions: [String] = []
        if !query.statuses.isEmpty { conditions.append("status = ANY(\(bind(query.statuses.map(\.rawValue)))::text[])") }
        if !query.severities.isEmpty { conditions.append("severity = ANY(\(bind(query.severities.map { Int16($0.rank) }))::int2[])") }
        if let minimum = query.minSeverity { conditions.append("severity >= \(bind(Int16(minimum.rank)))") }
        if let ruleID = query.ruleID { conditions.append("rule_id = \(bind(ruleID))") }
        if let assignee = query.assignee { conditions.append("assignee = \(bind(assignee))") }
        if let text = query.text {
            let pattern = bind(LikePattern.containing(text))
            conditions.append("(title ILIKE \(pattern) OR rule_name ILIKE \(pattern) OR group_key ILIKE \(pattern))")
        }
        if let from = query.from { conditions.append("created_at >= \(bind(from))") }
        if let to = query.to { conditions.append("created_at < \(bind(to))") }
        if let cursor = query.cursor {
            let comparison = query.order == .desc ? "<" : ">"
            if let severity = cursor.severity {
                let position = "(\(bind(Int16(severity.rank))), \(bind(cursor.createdAt)), \(bind(cursor.id)))"
                conditions.append("(severity, created_at, id) \(comparison) \(position)")
            } else {
                conditions.append("(created_at, id) \(comparison) (\(bind(cursor.createdAt)), \(bind(cursor.id)))")
            }
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let direction = query.order == .desc ? "DESC" : "ASC"
        let severityFirst = query.sort == .severity ? "severity \(direction), " : ""
        let sql = """
            SELECT \(Self.alertColumns) FROM alerts \(whereClause) \
            ORDER BY \(severityFirst)created_at \(direction), id \(direction) LIMIT \(query.limit + 1)
            """
        let statement = PostgresQuery(unsafeSQL: sql, binds: try bind.checked())
        let alerts = try await self.bounded {
            var alerts: [Alert] = []
            for try await row in try await self.client.query(statement, logger: self.logger) { alerts.append(try Self.alert(from: row)) }
            return alerts
        }
        return AlertPage(fetched: alerts, for: query)
    }

    public func alert(id: UUID) async throws -> AlertDetail? {
        try await self.bounded {
            // REPEATABLE READ: the alert, its evidence and its history from one snapshot.
            try await self.client.withConnection { connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: self.logger)
                do {
                    let detail = try await self.alertDetail(id: id, on: connection)
                    try await connection.query("COMMIT", logger: self.logger)
                    return detail
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: self.logger)
                    throw error
                }
            }
        }
    }

    private func alertDetail(id: UUID, on connection: PostgresConnection) async throws -> AlertDetail? {
        var alert: Alert?
        for try await row in try await connection.query("SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE id = \(id)", logger: self.logger) {
            alert = try Self.alert(from: row)
        }
        guard let alert else { return nil }
        var evidence: [AlertEvidence] = []
        let evidenceRows = try await connection.query(
            "SELECT event_id, occurred_at, summary FROM alert_evidence WHERE alert_id = \(id) ORDER BY occurred_at, n",
            logger: self.logger
        )
        for try await (eventID, occurredAt, summary) in evidenceRows.decode((UUID, Timestamp, String).self) {
            evidence.append(AlertEvidence(eventID: eventID, occurredAt: occurredAt, summary: summary))
        }
        var history: [AlertHistoryEntry] = []
        let historyRows = try await connection.query(
            "SELECT at, actor, from_status, to_status, assignee, note FROM alert_history WHERE alert_id = \(id) ORDER BY n",
            logger: self.logger
        )
        for try await (at, actor, from, to, assignee, note) in historyRows.decode((Timestamp, String, String?, String, String?, String?).self) {
            guard let status = AlertStatus(rawValue: to) else { throw CorruptRow(table: "alert_history") }
            history.append(
                AlertHistoryEntry(at: at, by: actor, from: from.flatMap(AlertStatus.init(rawValue:)), to: status, assignee: assignee, note: note)
            )
        }
        return AlertDetail(alert: alert, evidence: evidence, history: history)
    }

    public func updateAlert(id: UUID, _ update: AlertUpdate, by actor: String, at time: Timestamp) async throws -> (before: Alert, after: Alert)? {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection -> (before: Alert, after: Alert)? in
                var found: Alert?
                let rows = try await connection.query(
                    "SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE id = \(id) FOR UPDATE",
                    logger: self.logger
                )
                for try await row in rows { found = try Self.alert(from: row) }
                guard let before = found else { return nil }
                let (after, entry) = try update.apply(to: before, by: actor, at: time)
                try await connection.query(
                    "UPDATE alerts SET status = \(after.status.rawValue), assignee = \(after.assignee), updated_at = \(after.updatedAt) WHERE id = \(id)",
                    logger: self.logger
                )
                try await connection.query(
                    """
                    INSERT INTO alert_history (alert_id, at, actor, from_status, to_status, assignee, note)
                    VALUES (\(id), \(entry.at), \(entry.by), \(entry.from?.rawValue), \(entry.to.rawValue), \(entry.assignee), \(entry.note))
                    """,
                    logger: self.logger
                )
                _ = try await self.queueNotifications([(.alertUpdated, after)], now: time, on: connection)
                return (before, after)
            }
        }
    }
}
