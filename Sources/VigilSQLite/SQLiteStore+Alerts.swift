import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore {
    public func alerts(matching query: AlertQuery) async throws -> AlertPage {
        var filter = SQLiteFilter()
        if !query.statuses.isEmpty {
            filter.add("status", in: query.statuses.map { .text($0.rawValue) })
        }
        if !query.severities.isEmpty {
            filter.add("severity", in: query.severities.map { .integer($0.rank) })
        }
        if let minimum = query.minSeverity {
            filter.add("severity >= ?", .integer(minimum.rank))
        }
        if let ruleID = query.ruleID {
            filter.add("rule_id = ?", .text(ruleID.lowercased))
        }
        if let assignee = query.assignee {
            filter.add("assignee = ?", .text(assignee))
        }
        if let text = query.text {
            // LIKE is case-insensitive for ASCII; the pattern's own wildcards are escaped.
            let pattern = LikePattern.containing(text)
            filter.add(
                "(title LIKE ? ESCAPE '\\' OR rule_name LIKE ? ESCAPE '\\' OR group_key LIKE ? ESCAPE '\\')",
                .text(pattern),
                .text(pattern),
                .text(pattern)
            )
        }
        if let from = query.from {
            filter.add("created_at >= ?", .integer(Int(from.microseconds)))
        }
        if let to = query.to {
            filter.add("created_at < ?", .integer(Int(to.microseconds)))
        }
        if let cursor = query.cursor {
            let comparison = query.order == .desc ? "<" : ">"
            let time = SQLiteData.integer(Int(cursor.createdAt.microseconds))
            let afterTime = "(created_at \(comparison) ? OR (created_at = ? AND id \(comparison) ?))"
            if let severity = cursor.severity {
                let rank = SQLiteData.integer(severity.rank)
                filter.add("(severity \(comparison) ? OR (severity = ? AND \(afterTime)))", rank, rank, time, time, .text(cursor.id.lowercased))
            } else {
                filter.add(afterTime, time, time, .text(cursor.id.lowercased))
            }
        }
        let whereClause = filter.whereClause
        let direction = query.order == .desc ? "DESC" : "ASC"
        let severityFirst = query.sort == .severity ? "severity \(direction), " : ""
        let sql = """
            SELECT \(Self.alertColumns) FROM alerts \(whereClause) \
            ORDER BY \(severityFirst)created_at \(direction), id \(direction) LIMIT \(query.limit + 1)
            """
        let finalBinds = filter.binds
        let rows = try await self.pool.read { try await $0.query(sql, finalBinds) }
        return AlertPage(fetched: try rows.decodeAll(table: "alerts", Self.alert(from:)), for: query)
    }

    public func alert(id: UUID) async throws -> AlertDetail? {
        // One snapshot for the alert, its evidence and its history.
        try await self.pool.readTransaction { try await Self.alertDetail(id: id, on: $0) }
    }

    private static func alertDetail(id: UUID, on connection: SQLiteConnection) async throws -> AlertDetail? {
        let binds: [SQLiteData] = [.text(id.lowercased)]
        guard
            let alert = try await connection.query("SELECT \(alertColumns) FROM alerts WHERE id = ?", binds).prefix(1).decodeAll(
                table: "alerts",
                Self.alert(from:)
            ).first
        else { return nil }
        let evidence = try await connection.query(
            "SELECT event_id, occurred_at, summary FROM alert_evidence WHERE alert_id = ? ORDER BY occurred_at, seq",
            binds
        ).decodeAll(table: "alert_evidence") { row -> AlertEvidence? in
            guard let eventID = row.string("event_id").flatMap(UUID.init(canonical:)) else { return nil }
            return AlertEvidence(
                eventID: eventID,
                occurredAt: Timestamp(microseconds: row.int64("occurred_at")),
                summary: row.string("summary") ?? ""
            )
        }
        let history = try await connection.query(
            "SELECT at, actor, from_status, to_status, assignee, note FROM alert_history WHERE alert_id = ? ORDER BY seq",
            binds
        ).decodeAll(table: "alert_history") { row -> AlertHistoryEntry? in
            guard let to = row.string("to_status").flatMap(AlertStatus.init(rawValue:)) else { return nil }
            return AlertHistoryEntry(
                at: Timestamp(microseconds: row.int64("at")),
                by: row.string("actor") ?? "",
                from: row.string("from_status").flatMap(AlertStatus.init(rawValue:)),
                to: to,
                assignee: row.string("assignee"),
                note: row.string("note")
            )
        }
        return AlertDetail(alert: alert, evidence: evidence, history: history)
    }

    public func updateAlert(id: UUID, _ update: AlertUpdate, by actor: String, at time: Timestamp) async throws -> (before: Alert, after: Alert)? {
        try await self.pool.writeTransaction { connection -> (before: Alert, after: Alert)? in
            guard
                let before = try await connection.query("SELECT \(Self.alertColumns) FROM alerts WHERE id = ?", [.text(id.lowercased)])
                    .prefix(1).decodeAll(table: "alerts", Self.alert(from:)).first
            else { return nil }
            let (after, entry) = try update.apply(to: before, by: actor, at: time)
            _ = try await connection.query(
                "UPDATE alerts SET status = ?, assignee = ?, updated_at = ? WHERE id = ?",
                [.text(after.status.rawValue), after.assignee.sqlite, .integer(Int(after.updatedAt.microseconds)), .text(id.lowercased)]
            )
            _ = try await connection.query(
                "INSERT INTO alert_history (alert_id, at, actor, from_status, to_status, assignee, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    .text(id.lowercased), .integer(Int(entry.at.microseconds)), .text(entry.by), (entry.from?.rawValue).sqlite,
                    .text(entry.to.rawValue), entry.assignee.sqlite, entry.note.sqlite,
                ]
            )
            _ = try await Self.queueNotifications([(.alertUpdated, after)], now: time, on: connection)
            return (before, after)
        }
    }
}
