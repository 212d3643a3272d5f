import Foundation

/// What one event does under one rule: it matched (and, for a threshold rule, its group's
/// window reached the count). `AlertLedger` turns triggers into new alerts or adds them to an
/// active one of the same rule and group.
public struct Trigger: Sendable, Equatable {
    public var ruleID: UUID
    public var ruleName: String
    public var groupKey: String
    public var title: String
    public var severity: Severity
    public var suppressSeconds: Int
    public var event: Event
    /// Matching events in the window when it fired (1 for rules without threshold).
    public var windowCount: Int
    /// The window's events, oldest first, at most `Alert.maxEvidence`: the evidence of an alert
    /// this trigger opens.
    public var window: [AlertEvidence]

    public init(
        ruleID: UUID,
        ruleName: String,
        groupKey: String,
        title: String,
        severity: Severity,
        suppressSeconds: Int,
        event: Event,
        windowCount: Int,
        window: [AlertEvidence]
    ) {
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.groupKey = groupKey
        self.title = title
        self.severity = severity
        self.suppressSeconds = suppressSeconds
        self.event = event
        self.windowCount = windowCount
        self.window = window
    }
}

/// Evaluates events against the enabled rules: pure and deterministic, so live detection and
/// a backtest over stored history give the same triggers for the same events in the same order.
public struct DetectionEngine: Sendable {
    public private(set) var rules: [Rule]
    private var windows = ThresholdWindows()
    private var storms: StormGuard
    private var evaluated = 0

    /// `stormLimit`: alerts one rule may open per minute before the rest go to its storm alert.
    public init(rules: [Rule], stormLimit: Int = StormGuard.defaultLimit) {
        self.rules = rules.filter(\.enabled)
        self.storms = StormGuard(limit: stormLimit)
    }

    /// Swaps in a new rule set, keeping the windows of rules that still exist (a rule edited
    /// mid-window keeps counting).
    public mutating func update(rules: [Rule]) {
        let enabled = rules.filter(\.enabled)
        guard enabled != self.rules else { return }
        self.rules = enabled
    }

    /// The longest threshold window of the rules (what a restart must replay).
    public var longestWindowSeconds: Int {
        self.rules.compactMap(\.threshold?.windowSeconds).max() ?? 0
    }

    /// Vigil's own `alert.*` audit events are never evaluated: an alert about an alert would
    /// raise another `alert.created`, without end.
    public static func isEvaluated(_ event: Event) -> Bool {
        !(event.ingestedBy == AuditTrail.principal && event.type.hasPrefix("alert."))
    }

    /// Triggers of `event`, in rule order (past a rule's storm limit, to its storm group).
    public mutating func evaluate(_ event: Event) -> [Trigger] {
        guard Self.isEvaluated(event) else { return [] }
        var triggers: [Trigger] = []
        var evidence: AlertEvidence?
        for rule in self.rules where rule.match.matches(event) {
            let entry = evidence ?? AlertEvidence(event)
            evidence = entry
            let group = rule.groupKey(for: event)
            var count = 1
            var window = [entry]
            if let threshold = rule.threshold {
                let fullest = self.windows.record(rule: rule.id, group: group, entry, windowSeconds: threshold.windowSeconds)
                count = fullest.count
                guard count >= threshold.count else { continue }
                window = self.windows.window(
                    rule: rule.id,
                    group: group,
                    startingAt: fullest.start,
                    windowSeconds: threshold.windowSeconds,
                    limit: Alert.maxEvidence
                )
            }
            triggers.append(
                self.storms.admit(
                    Trigger(
                        ruleID: rule.id,
                        ruleName: rule.name,
                        groupKey: group,
                        title: rule.alertTitle(for: event),
                        severity: rule.alertSeverity(for: event),
                        suppressSeconds: rule.suppressSeconds,
                        event: event,
                        windowCount: count,
                        window: window
                    )
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

    /// Threshold groups currently tracked.
    public var trackedGroups: Int { self.windows.groupCount }
}
