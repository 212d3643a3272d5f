import Foundation
import SQLiteNIO
import VigilCore

extension SQLiteStore: RuleStore {
    static let ruleColumns = "id, definition, created_at, updated_at"
    static let rulesInstalledKey = "builtin_rules_installed"

    public func rules() async throws -> [Rule] {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.ruleColumns) FROM rules ORDER BY created_at, id").decodeAll(table: "rules", Self.rule(from:))
        }
    }

    public func rule(id: UUID) async throws -> Rule? {
        try await self.pool.read { connection in
            try await connection.query("SELECT \(Self.ruleColumns) FROM rules WHERE id = ?", [.text(id.lowercased)]).prefix(1).decodeAll(
                table: "rules",
                Self.rule(from:)
            ).first
        }
    }

    public func createRule(_ rule: Rule) async throws {
        let inserted = try await self.pool.writeTransaction { try await Self.insert(rule, on: $0) }
        guard inserted else { throw VigilError.ruleNameTaken }
    }

    public func updateRule(_ rule: Rule) async throws -> Rule? {
        try await self.pool.writeTransaction { connection in
            guard
                let before = try await connection.query("SELECT \(Self.ruleColumns) FROM rules WHERE id = ?", [.text(rule.id.lowercased)])
                    .prefix(1).decodeAll(table: "rules", Self.rule(from:)).first
            else { return nil }
            let clash = try await connection.query(
                "SELECT 1 FROM rules WHERE name = ? COLLATE NOCASE AND id != ?",
                [.text(rule.name), .text(rule.id.lowercased)]
            )
            guard clash.isEmpty else { throw VigilError.ruleNameTaken }
            _ = try await connection.query(
                "UPDATE rules SET name = ?, definition = ?, updated_at = ? WHERE id = ?",
                [.text(rule.name), .text(rule.definition.canonicalJSON), .integer(Int(rule.updatedAt.microseconds)), .text(rule.id.lowercased)]
            )
            return before
        }
    }

    public func deleteRule(id: UUID) async throws -> Rule? {
        try await self.pool.writeTransaction { connection in
            try await connection.query("DELETE FROM rules WHERE id = ? RETURNING \(Self.ruleColumns)", [.text(id.lowercased)])
                .prefix(1).decodeAll(table: "rules", Self.rule(from:)).first
        }
    }

    public func installRulesOnce(_ rules: [Rule]) async throws -> Bool {
        try await self.pool.writeTransaction { connection in
            let marked = try await connection.query(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING RETURNING key",
                [.text(Self.rulesInstalledKey), .text(Timestamp.now().rfc3339)]
            )
            guard !marked.isEmpty else { return false }
            for rule in rules { _ = try await Self.insert(rule, on: connection) }
            return true
        }
    }

    private static func insert(_ rule: Rule, on connection: SQLiteConnection) async throws -> Bool {
        let rows = try await connection.query(
            "INSERT INTO rules (\(ruleColumns), name) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id",
            [
                .text(rule.id.lowercased), .text(rule.definition.canonicalJSON), .integer(Int(rule.createdAt.microseconds)),
                .integer(Int(rule.updatedAt.microseconds)), .text(rule.name),
            ]
        )
        return !rows.isEmpty
    }

    static func rule(from row: SQLiteRow) -> Rule? {
        guard let id = row.string("id").flatMap(UUID.init(canonical:)), let definition = row.string("definition") else { return nil }
        return Rule.stored(
            id: id,
            definition: definition,
            createdAt: Timestamp(microseconds: row.int64("created_at")),
            updatedAt: Timestamp(microseconds: row.int64("updated_at"))
        )
    }
}
