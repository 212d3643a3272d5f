import Foundation
import PostgresNIO
import VigilCore

extension PostgresStore: RuleStore {
    static let ruleColumns = "id, definition::text, created_at, updated_at"
    static let rulesInstalledKey = "builtin_rules_installed"

    public func rules() async throws -> [Rule] {
        try await self.rules("SELECT \(Self.ruleColumns) FROM rules ORDER BY created_at, id", PostgresBindings())
    }

    public func rule(id: UUID) async throws -> Rule? {
        try await self.rules("SELECT \(Self.ruleColumns) FROM rules WHERE id = $1", try Self.bindings(id)).first
    }

    public func createRule(_ rule: Rule) async throws {
        let inserted = try await self.bounded {
            try await self.client.withConnection { try await self.insert(rule, on: $0) }
        }
        guard inserted else { throw VigilError.ruleNameTaken }
    }

    public func updateRule(_ rule: Rule) async throws -> Rule? {
        let definition = rule.definition.canonicalJSON
        return try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                let rows = try await connection.query(
                    "SELECT \(unescaped: Self.ruleColumns) FROM rules WHERE id = \(rule.id) FOR UPDATE",
                    logger: self.logger
                )
                var before: Rule?
                for try await row in rows { before = try Self.rule(from: row) }
                guard let before else { return nil }
                do {
                    try await connection.query(
                        "UPDATE rules SET name = \(rule.name), definition = \(definition)::json, updated_at = \(rule.updatedAt) WHERE id = \(rule.id)",
                        logger: self.logger
                    )
                } catch  where PostgresFailure.sqlState(error) == "23505" {
                    throw VigilError.ruleNameTaken
                }
                return before
            }
        }
    }

    public func deleteRule(id: UUID) async throws -> Rule? {
        try await self.rules("DELETE FROM rules WHERE id = $1 RETURNING \(Self.ruleColumns)", try Self.bindings(id)).first
    }

    public func installRulesOnce(_ rules: [Rule]) async throws -> Bool {
        try await self.bounded {
            try await self.client.withTransaction(logger: self.logger) { connection in
                let marked = try await connection.query(
                    "INSERT INTO settings (key, value) VALUES (\(Self.rulesInstalledKey), \(Timestamp.now().rfc3339)) ON CONFLICT (key) DO NOTHING RETURNING key",
                    logger: self.logger
                ).collect()
                guard !marked.isEmpty else { return false }
                for rule in rules { _ = try await self.insert(rule, on: connection) }
                return true
            }
        }
    }

    private func insert(_ rule: Rule, on connection: PostgresConnection) async throws -> Bool {
        let definition = rule.definition.canonicalJSON
        return try await connection.query(
            """
            INSERT INTO rules (id, name, definition, created_at, updated_at)
            VALUES (\(rule.id), \(rule.name), \(definition)::json, \(rule.createdAt), \(rule.updatedAt))
            ON CONFLICT DO NOTHING RETURNING id
            """,
            logger: self.logger
        ).collect().count == 1
    }

    private func rules(_ sql: String, _ binds: PostgresBindings) async throws -> [Rule] {
        try await self.bounded {
            var rules: [Rule] = []
            for try await row in try await self.client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger) {
                rules.append(try Self.rule(from: row))
            }
            return rules
        }
    }

    /// The rule in `row`; `CorruptRow` when its definition no longer validates.
    static func rule(from row: PostgresRow) throws -> Rule {
        let (id, definition, createdAt, updatedAt) = try row.decode((UUID, String, Timestamp, Timestamp).self)
        guard let rule = Rule.stored(id: id, definition: definition, createdAt: createdAt, updatedAt: updatedAt) else {
            throw CorruptRow(table: "rules")
        }
        return rule
    }
}
