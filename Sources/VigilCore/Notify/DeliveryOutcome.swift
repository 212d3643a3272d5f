/// What happened to a claimed notification.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered
    /// Try again at `at`.
    case retry(at: Timestamp)
    /// No attempts left.
    case dead

    /// The notification's status after this outcome.
    public var status: OutboxEntry.Status {
        switch self {
        case .delivered: .delivered
        case .retry: .pending
        case .dead: .dead
        }
    }

    /// The next attempt's time, for a retry.
    public var nextAttemptAt: Timestamp? {
        if case .retry(let at) = self { return at }
        return nil
    }
}
