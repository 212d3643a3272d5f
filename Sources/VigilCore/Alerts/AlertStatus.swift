/// Where an alert stands in triage.
///
/// The lifecycle: `open` → `acknowledged` | `resolved` | `dismissed`; `acknowledged` →
/// `resolved` | `dismissed`; `resolved` | `dismissed` → `open` (a reopen must say why).
public enum AlertStatus: String, Sendable, CaseIterable, Codable {
    case open, acknowledged, resolved, dismissed

    /// Open and acknowledged alerts absorb new triggers of their rule and group.
    public var isActive: Bool { self == .open || self == .acknowledged }

    /// The statuses this one may change to.
    public var allowedTransitions: [AlertStatus] {
        switch self {
        case .open: [.acknowledged, .resolved, .dismissed]
        case .acknowledged: [.resolved, .dismissed]
        case .resolved, .dismissed: [.open]
        }
    }

    /// Whether moving here from `self` needs a note (reopening does).
    public func needsNote(to next: AlertStatus) -> Bool {
        next == .open && !self.isActive
    }

    /// Parses a status case-insensitively.
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }
}
