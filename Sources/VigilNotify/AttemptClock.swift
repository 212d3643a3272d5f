import VigilCore

/// Times one delivery attempt from its start and turns the result into a `DeliveryAttempt`.
struct AttemptClock: Sendable {
    let started = ContinuousClock.now
    let at = Timestamp.now()

    func attempt(_ code: Int?, _ error: String?, retryAfterSeconds: Int? = nil) -> DeliveryAttempt {
        let elapsed = ContinuousClock.now - self.started
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return DeliveryAttempt(at: self.at, statusCode: code, error: error, latencyMilliseconds: milliseconds, retryAfterSeconds: retryAfterSeconds)
    }
}
