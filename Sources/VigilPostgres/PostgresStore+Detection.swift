import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: AlertStore {
    static let alertColumns =
        "id, rule_id, rule_name, title, severity, status, group_key, count, first_seen, last_seen, assignee, suppress_seconds, created_at, updated_at"
    static let detectorName = "detector"

    public func detectorCheckpoint() async throws -> DetectorCheckpoint? {
        try await self.bounded {
            try await self.client.withConnection { try await self.checkpoint(on: $0, lock: false) }
        }
    }

    public func commitDetection(_ commit: DetectionCommit) async throws -> DetectionResult {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                // 1. The row lock serializes detectors; the comparison stops one that has been
                // deposed (another node committed since it read the checkpoint).
                try await connection.query(
                    "INSERT INTO detector_state (name, updated_at) VALUES (\(Self.detectorName), \(commit.now)) ON CONFLICT (name) DO NOTHING",
                    logger: self.logger
                )
                guard try await self.checkpoint(on: connection, lock: true) == commit.expected else {
                    throw VigilError.detectorCheckpointMoved
                }
                var result = DetectionResult()
                if !commit.triggers.isEmpty {
                    let existing = try await self.newestAlerts(for: AlertLedger.keys(of: commit.triggers), on: connection)  // 2.
                    var ledger = AlertLedger(existing: existing, now: commit.now)  // 3.
                    for trigger in commit.triggers { ledger.apply(trigger) }
                    result = DetectionResult(ledger)
                    try await self.write(result, evidence: ledger.newEvidence, on: connection)  // 4.
                    result.notifications = try await self.queueNotifications(result.changes, now: commit.now, on: connection)  // 5.
                }
                // 6.
                try await connection.query(
                    """
                    UPDATE detector_state SET position = \(commit.next.position?.token), newest_event_time = \(commit.next.newestEventTime),
                    updated_at = \(commit.now) WHERE name = \(Self.detectorName)
                    """,
                    logger: self.logger
                )
                return result
            }
        }
    }

    private func checkpoint(on connection: PostgresConnection, lock: Bool) async throws -> DetectorCheckpoint? {
        var checkpoint: DetectorCheckpoint?
        let rows = try await connection.query(
            "SELECT position, newest_event_time FROM detector_state WHERE name = \(Self.detectorName)\(unescaped: lock ? " FOR UPDATE" : "")",
            logger: self.logger
        )
        for try await (position, newest) in rows.decode((String?, Timestamp?).self) where position != nil || newest != nil {
            checkpoint = DetectorCheckpoint(position: position.map(LogPosition.init(token:)), newestEventTime: newest)
        }
        return checkpoint
    }

    /// The newest alert of each key, locked against concurrent triage until the commit.
    private func newestAlerts(for keys: Set<AlertLedger.Key>, on connection: PostgresConnection) async throws -> [Alert] {
        let list = Array(keys)
        let sql = """
            SELECT \(Self.alertColumns) FROM alerts WHERE id IN (
                SELECT DISTINCT ON (a.rule_id, a.group_key) a.id FROM alerts a
                JOIN unnest($1::uuid[], $2::text[]) AS k(rule_id, group_key) ON a.rule_id = k.rule_id AND a.group_key = k.group_key
                ORDER BY a.rule_id, a.group_key, a.created_at DESC, a.id DESC
            ) FOR UPDATE
            """
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: sql, binds: try Self.bindings(list.map(\.ruleID), list.map(\.groupKey))),
            logger: self.logger
        )
        var alerts: [Alert] = []
        for try await row in rows { alerts.append(try Self.alert(from: row)) }
        return alerts
    }

    /// Bulk writes through `unnest` of arrays: one statement per table, whatever the batch.
    private func write(_ result: DetectionResult, evidence: [UUID: [AlertEvidence]], on connection: PostgresConnection) async throws {
        let opened = result.opened
        if !opened.isEmpty {
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO alerts (\(Self.alertColumns))
                        SELECT id, rule_id, rule_name, title, severity, status, group_key, count, first_seen, last_seen, NULL,
                               suppress_seconds, created_at, updated_at
                        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int2[], $6::text[], $7::text[], $8::int8[],
                                    $9::timestamptz[], $10::timestamptz[], $11::int8[], $12::timestamptz[], $13::timestamptz[])
                             AS u(id, rule_id, rule_name, title, severity, status, group_key, count, first_seen, last_seen,
                                  suppress_seconds, created_at, updated_at)
                        """,
                    binds: try Self.bindings(
                        opened.map(\.id),
                        opened.map(\.ruleID),
                        opened.map(\.ruleName),
                        opened.map(\.title),
                        opened.map { Int16($0.severity.rank) },
                        opened.map(\.status.rawValue),
                        opened.map(\.groupKey),
                        opened.map(\.count),
                        opened.map(\.firstSeen),
                        opened.map(\.lastSeen),
                        opened.map(\.suppressSeconds),
                        opened.map(\.createdAt),
                        opened.map(\.updatedAt)
                    )
                ),
                logger: self.logger
            )
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO alert_history (alert_id, at, actor, to_status)
                        SELECT id, at, $3, $4 FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
                        """,
                    binds: try Self.bindings(opened.map(\.id), opened.map(\.createdAt), AuditTrail.principal, AlertStatus.open.rawValue)
                ),
                logger: self.logger
            )
            try await self.copy(opened.map(\.createdEvent), on: connection)
        }
        let updated = result.updated
        if !updated.isEmpty {
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE alerts a SET count = u.count, first_seen = u.first_seen, last_seen = u.last_seen, severity = u.severity,
                                            updated_at = u.updated_at
                        FROM unnest($1::uuid[], $2::int8[], $3::timestamptz[], $4::timestamptz[], $5::int2[], $6::timestamptz[])
                             AS u(id, count, first_seen, last_seen, severity, updated_at)
                        WHERE a.id = u.id
                        """,
                    binds: try Self.bindings(
                        updated.map(\.id),
                        updated.map(\.count),
                        updated.map(\.firstSeen),
                        updated.map(\.lastSeen),
                        updated.map { Int16($0.severity.rank) },
                        updated.map(\.updatedAt)
                    )
                ),
                logger: self.logger
            )
        }
        // Opened alerts first, then additions, each oldest first: identity order is evidence order.
        let entries = (opened.map(\.id) + updated.map(\.id)).flatMap { id in (evidence[id] ?? []).map { (id, $0) } }
        if !entries.isEmpty {
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO alert_evidence (alert_id, event_id, occurred_at, summary)
                        SELECT alert_id, event_id, occurred_at, summary
                        FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[]) WITH ORDINALITY
                            AS u(alert_id, event_id, occurred_at, summary, ordinal) ORDER BY ordinal
                        """,
                    binds: try Self.bindings(entries.map(\.0), entries.map(\.1.eventID), entries.map(\.1.occurredAt), entries.map(\.1.summary))
                ),
                logger: self.logger
            )
        }
    }

    static func alert(from row: PostgresRow) throws -> Alert {
        let cells = row.makeRandomAccess()
        guard let severity = Severity(rank: Int(try cells[4].decode(Int16.self))),
            let status = AlertStatus(rawValue: try cells[5].decode(String.self))
        else { throw CorruptRow(table: "alerts") }
        return Alert(
            id: try cells[0].decode(UUID.self),
            ruleID: try cells[1].decode(UUID.self),
            ruleName: try cells[2].decode(String.self),
            title: try cells[3].decode(String.self),
            severity: severity,
            status: status,
            groupKey: try cells[6].decode(String.self),
            count: try cells[7].decode(Int.self),
            firstSeen: try cells[8].decode(Timestamp.self),
            lastSeen: try cells[9].decode(Timestamp.self),
            assignee: try cells[10].decode(String?.self),
            suppressSeconds: try cells[11].decode(Int.self),
            createdAt: try cells[12].decode(Timestamp.self),
            updatedAt: try cells[13].decode(Timestamp.self)
        )
    }
}
