import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: AlertStore {
    static let alertColumns =
        "id, rule_id, rule_name, title, severity, status, group_key, count, first_seen, last_seen, assignee, suppress_seconds, created_at, updated_at"
    static let detectorName = "detector"

    public func detectorCheckpoint() async throws -> DetectorCheckpoint? {
        try await self.pool.read { try await Self.checkpoint(on: $0) }
    }

    public func commitDetection(_ commit: DetectionCommit) async throws -> DetectionResult {
        try await self.pool.writeTransaction { connection in
            // 1. The write transaction already excludes every other writer of the file.
            guard try await Self.checkpoint(on: connection) == commit.expected else { throw VigilError.detectorCheckpointMoved }
            var result = DetectionResult()
            if !commit.triggers.isEmpty {
                let existing = try await Self.newestAlerts(for: AlertLedger.keys(of: commit.triggers), on: connection)  // 2.
                var ledger = AlertLedger(existing: existing, now: commit.now)  // 3.
                for trigger in commit.triggers { ledger.apply(trigger) }
                result = DetectionResult(ledger)
                try await Self.write(result, evidence: ledger.newEvidence, on: connection)  // 4.
                result.notifications = try await Self.queueNotifications(result.changes, now: commit.now, on: connection)  // 5.
            }
            // 6.
            _ = try await connection.query(
                """
                INSERT INTO detector_state (name, position, newest_event_time, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET position = excluded.position, newest_event_time = excluded.newest_event_time,
                updated_at = excluded.updated_at
                """,
                [
                    .text(Self.detectorName), commit.next.position.map { .text($0.token) } ?? .null,
                    commit.next.newestEventTime.map { .integer(Int($0.microseconds)) } ?? .null, .integer(Int(commit.now.microseconds)),
                ]
            )
            return result
        }
    }

    private static func write(_ result: DetectionResult, evidence: [UUID: [AlertEvidence]], on connection: SQLiteConnection) async throws {
        try await Self.insertRows(
            into: "alerts",
            columns: Self.alertColumns,
            rows: result.opened.map(Self.binds(for:)),
            on: connection
        )
        // One statement for all updated alerts: every statement is a hop to the database
        // thread while the write lock (which the ingest writer waits for) is held.
        var start = 0
        while start < result.updated.count {
            let chunk = result.updated[start..<min(result.updated.count, start + 1000)]
            let values = Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ",")
            _ = try await connection.query(
                """
                WITH u(id, count, first_seen, last_seen, severity, updated_at) AS (VALUES \(values))
                UPDATE alerts SET count = u.count, first_seen = u.first_seen, last_seen = u.last_seen, severity = u.severity,
                updated_at = u.updated_at FROM u WHERE alerts.id = u.id
                """,
                chunk.flatMap { alert -> [SQLiteData] in
                    [
                        .text(alert.id.lowercased), .integer(alert.count), .integer(Int(alert.firstSeen.microseconds)),
                        .integer(Int(alert.lastSeen.microseconds)), .integer(alert.severity.rank), .integer(Int(alert.updatedAt.microseconds)),
                    ]
                }
            )
            start += chunk.count
        }
        try await Self.insertRows(
            into: "alert_history",
            columns: "alert_id, at, actor, from_status, to_status, assignee, note",
            rows: result.opened.map { alert in
                [
                    .text(alert.id.lowercased), .integer(Int(alert.createdAt.microseconds)), .text(AuditTrail.principal), .null,
                    .text(AlertStatus.open.rawValue), .null, .null,
                ]
            },
            on: connection
        )
        // Opened alerts first, then additions, each oldest first: the `seq` order is evidence order.
        let order = result.opened.map(\.id) + result.updated.map(\.id)
        try await Self.insertRows(
            into: "alert_evidence",
            columns: "alert_id, event_id, occurred_at, summary",
            rows: order.flatMap { id in
                (evidence[id] ?? []).map { entry in
                    [.text(id.lowercased), .text(entry.eventID.lowercased), .integer(Int(entry.occurredAt.microseconds)), .text(entry.summary)]
                }
            },
            on: connection
        )
        let events = result.opened.map(\.createdEvent)
        var first = 0
        while first < events.count {
            let chunk = events[first..<min(events.count, first + Self.rowsPerInsert)]
            try await Self.insert(chunk, on: connection).get()
            first += chunk.count
        }
    }

    /// The newest alert of each key, in one statement per 500 keys.
    private static func newestAlerts(for keys: Set<AlertLedger.Key>, on connection: SQLiteConnection) async throws -> [Alert] {
        let list = Array(keys)
        var alerts: [Alert] = []
        var start = 0
        while start < list.count {
            let chunk = list[start..<min(list.count, start + 500)]
            let values = Array(repeating: "(?, ?)", count: chunk.count).joined(separator: ",")
            let rows = try await connection.query(
                """
                WITH k(rule_id, group_key) AS (VALUES \(values))
                SELECT \(alertColumns) FROM alerts WHERE id IN (
                    SELECT (SELECT a.id FROM alerts a WHERE a.rule_id = k.rule_id AND a.group_key = k.group_key
                            ORDER BY a.created_at DESC, a.id DESC LIMIT 1) FROM k)
                """,
                chunk.flatMap { [.text($0.ruleID.lowercased), .text($0.groupKey)] as [SQLiteData] }
            )
            alerts += try rows.decodeAll(table: "alerts", Self.alert(from:))
            start += chunk.count
        }
        return alerts
    }

    /// Multi-row INSERTs, chunked under SQLite's bind-parameter limit.
    static func insertRows(into table: String, columns: String, rows: [[SQLiteData]], on connection: SQLiteConnection) async throws {
        guard let width = rows.first?.count else { return }
        let placeholders = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        let perStatement = max(1, 30_000 / width)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            let sql = "INSERT INTO \(table) (\(columns)) VALUES " + Array(repeating: placeholders, count: chunk.count).joined(separator: ",")
            _ = try await connection.query(sql, chunk.flatMap { $0 })
            start += chunk.count
        }
    }

    private static func checkpoint(on connection: SQLiteConnection) async throws -> DetectorCheckpoint? {
        let rows = try await connection.query(
            "SELECT position, newest_event_time FROM detector_state WHERE name = ?",
            [.text(Self.detectorName)]
        )
        guard let row = rows.first else { return nil }
        let newest = row.column("newest_event_time").flatMap { $0.isNull ? nil : $0.integer }
        return DetectorCheckpoint(
            position: row.string("position").map(LogPosition.init(token:)),
            newestEventTime: newest.map { Timestamp(microseconds: Int64($0)) }
        )
    }

    static func binds(for alert: Alert) -> [SQLiteData] {
        [
            .text(alert.id.lowercased), .text(alert.ruleID.lowercased), .text(alert.ruleName), .text(alert.title),
            .integer(alert.severity.rank), .text(alert.status.rawValue), .text(alert.groupKey), .integer(alert.count),
            .integer(Int(alert.firstSeen.microseconds)), .integer(Int(alert.lastSeen.microseconds)), alert.assignee.sqlite,
            .integer(alert.suppressSeconds), .integer(Int(alert.createdAt.microseconds)), .integer(Int(alert.updatedAt.microseconds)),
        ]
    }

    static func alert(from row: SQLiteRow) -> Alert? {
        guard let id = row.string("id").flatMap(UUID.init(canonical:)), let ruleID = row.string("rule_id").flatMap(UUID.init(canonical:)),
            let severity = Severity(rank: Int(row.int64("severity"))), let status = row.string("status").flatMap(AlertStatus.init(rawValue:))
        else { return nil }
        return Alert(
            id: id,
            ruleID: ruleID,
            ruleName: row.string("rule_name") ?? "",
            title: row.string("title") ?? "",
            severity: severity,
            status: status,
            groupKey: row.string("group_key") ?? "",
            count: Int(row.int64("count")),
            firstSeen: Timestamp(microseconds: row.int64("first_seen")),
            lastSeen: Timestamp(microseconds: row.int64("last_seen")),
            assignee: row.string("assignee"),
            suppressSeconds: Int(row.int64("suppress_seconds")),
            createdAt: Timestamp(microseconds: row.int64("created_at")),
            updatedAt: Timestamp(microseconds: row.int64("updated_at"))
        )
    }
}
