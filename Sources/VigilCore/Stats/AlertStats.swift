/// Alert counts reported with statistics.
public struct AlertStats: Sendable, Equatable {
    /// Alerts in status `open` now, whenever they were created (the triage queue).
    public var open: Int64
    /// Alerts created in the window, by current status.
    public var byStatus: [AlertStatus: Int64]
    /// Alerts created in the window, by severity.
    public var bySeverity: [Severity: Int64]

    public init(open: Int64 = 0, byStatus: [AlertStatus: Int64] = [:], bySeverity: [Severity: Int64] = [:]) {
        self.open = open
        self.byStatus = byStatus
        self.bySeverity = bySeverity
    }
}
