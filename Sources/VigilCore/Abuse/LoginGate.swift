import Synchronization

/// Password checks in flight on this node, by attempted username and by client address.
///
/// The stored throttle is read before a password check and written after it; without this
/// gate, a burst of parallel guesses would all pass the read before the first failure is
/// written. One check per username and `perAddress` per address run at once; the rest are
/// refused at once (429), and every admitted check re-reads the throttle after it (see
/// `AuthController.login`). Several nodes each admit their own, so a burst gets at most one
/// guess per username per node before the stored back-off applies.
public final class LoginGate: Sendable {
    public let perUsername: Int
    public let perAddress: Int
    private let inFlight = Mutex<[LoginThrottleKey: Int]>([:])

    public init(perUsername: Int = 1, perAddress: Int = 4) {
        self.perUsername = perUsername
        self.perAddress = perAddress
    }

    /// A pass for `keys`, or nil when any key is at its limit. Release it with `leave`.
    public func enter(_ keys: [LoginThrottleKey]) -> [LoginThrottleKey]? {
        self.inFlight.withLock { inFlight in
            for key in keys where inFlight[key, default: 0] >= (key.kind == .user ? self.perUsername : self.perAddress) {
                return nil
            }
            for key in keys { inFlight[key, default: 0] += 1 }
            return keys
        }
    }

    public func leave(_ pass: [LoginThrottleKey]) {
        self.inFlight.withLock { inFlight in
            for key in pass {
                let left = inFlight[key, default: 1] - 1
                inFlight[key] = left > 0 ? left : nil
            }
        }
    }
}
