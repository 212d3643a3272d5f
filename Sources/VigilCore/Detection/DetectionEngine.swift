import Foundation

/// What one event does under one rule: it matched (and, for a threshold rule, its group's
/// window reached the count). The alert store turns triggers into new alerts or adds them to
/// an open one of the same rule and group.
public struct Trigger: Sendable, Equatable {
    public var ruleID: UUID
    public var ruleName: String
    public var groupKey: String
    public var severity: Severity
    public var event: Event
    /// Matching events in the window when it fired (1 for rules without threshold).
    public var windowCount: Int

    public init(ruleID: UUID, ruleName: String, groupKey: String, severity: Severity, event: Event, windowCount: Int) {
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.groupKey = groupKey
        self.severity = severity
        self.event = event
        self.windowCount = windowCount
    }
}

/// Evaluates events against the enabled rules: pure and deterministic, so live detection and
/// a backtest over stored history give the same triggers for the same events in the same order.
public struct DetectionEngine: Sendable {
    public private(set) var rules: [Rule]
    private var windows = ThresholdWindows()
    private var evaluated = 0

    public init(rules: [Rule]) {
        self.rules = rules.filter(\.enabled)
    }

    /// The longest threshold window of the rules (what a restart must replay).
    public var longestWindowSeconds: Int {
        self.rules.compactMap(\.threshold?.windowSeconds).max() ?? 0
    }

    /// Triggers of `event`, in rule order.
    public mutating func evaluate(_ event: Event) -> [Trigger] {
        var triggers: [Trigger] = []
        for rule in self.rules where rule.match.matches(event) {
            let group = rule.groupKey(for: event)
            var count = 1
            if let threshold = rule.threshold {
                count = self.windows.record(rule: rule.id, group: group, at: event.occurredAt, windowSeconds: threshold.windowSeconds)
                guard count >= threshold.count else { continue }
            }
            triggers.append(
                Trigger(
                    ruleID: rule.id,
                    ruleName: rule.name,
                    groupKey: group,
                    severity: rule.alertSeverity(for: event),
                    event: event,
                    windowCount: count
                )
            )
        }
        self.evaluated += 1
        if self.evaluated % 10_000 == 0 { self.windows.prune(keepingSeconds: self.longestWindowSeconds) }
        return triggers
    }

    /// Counts `event` into the threshold windows without reporting triggers: how a restart
    /// rebuilds windows from the log events it already evaluated.
    public mutating func replay(_ event: Event) {
        _ = self.evaluate(event)
    }
}
