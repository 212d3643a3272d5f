import Foundation

/// Durable storage of detection rules. Rule names are unique (ignoring case).
public protocol RuleStore: Sendable {
    /// Every rule, oldest first.
    func rules() async throws -> [Rule]
    func rule(id: UUID) async throws -> Rule?
    /// Throws `VigilError.conflict` (`rule_name_taken`) if the name is in use.
    func createRule(_ rule: Rule) async throws
    /// Replaces the rule with the same id; returns the rule before (nil if none). Throws
    /// `VigilError.conflict` (`rule_name_taken`) if the new name belongs to another rule.
    func updateRule(_ rule: Rule) async throws -> Rule?
    /// Deletes the rule; returns it (nil if none).
    func deleteRule(id: UUID) async throws -> Rule?
    /// Inserts `rules` if rules were never installed in this database, atomically with
    /// remembering that they were (so a deleted built-in rule stays deleted, and nodes starting
    /// together install once); returns whether it did.
    func installRulesOnce(_ rules: [Rule]) async throws -> Bool
}

extension VigilError {
    public static let ruleNameTaken = VigilError.conflict(code: "rule_name_taken", detail: "A rule with this name exists.")
}
