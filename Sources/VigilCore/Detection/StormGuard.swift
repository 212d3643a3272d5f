import Foundation

/// Bounds how many alerts one rule can open per minute, whatever its input.
///
/// Per rule, the groups that triggered within the current minute of `received_at` (server
/// time, which no client sets) are counted. Up to `limit` distinct groups pass as they are; a
/// trigger of any further group in that minute goes to the rule's storm group instead, whose one
/// "alert storm" alert counts them all (the ledger dedups it like any group). So a flood of
/// distinct addresses, actors or events opens at most `limit` alerts and one storm alert per
/// rule and minute (at most twice `limit` in any 60 s), and notifications follow alerts.
public struct StormGuard: Sendable {
    /// The group key of a rule's storm alert (no rule's own group key has this form).
    public static let groupKey = "storm"
    public static let defaultLimit = 20

    public let limit: Int
    private var minute: [UUID: Int64] = [:]
    private var groups: [UUID: Set<String>] = [:]

    public init(limit: Int = Self.defaultLimit) {
        self.limit = max(1, limit)
    }

    /// `trigger` unchanged, or redirected to its rule's storm group.
    public mutating func admit(_ trigger: Trigger) -> Trigger {
        let minute = trigger.event.receivedAt.microseconds.floorDiv(60_000_000)
        if self.minute[trigger.ruleID] != minute {
            self.minute[trigger.ruleID] = minute
            self.groups[trigger.ruleID] = []
        }
        var seen = self.groups[trigger.ruleID] ?? []
        if seen.contains(trigger.groupKey) { return trigger }
        if seen.count < self.limit {
            seen.insert(trigger.groupKey)
            self.groups[trigger.ruleID] = seen
            return trigger
        }
        var storm = trigger
        storm.groupKey = Self.groupKey
        storm.title = "Alert storm: \(trigger.ruleName) opened more than \(self.limit) alerts in a minute".truncated(toUTF8Bytes: 200)
        storm.windowCount = 1
        storm.window = [AlertEvidence(trigger.event)]
        return storm
    }
}
