import Foundation

/// When to try again: exponential back-off with ±20 % jitter, `maxAttempts` attempts over
/// about an hour by default (7 s, 14 s, 28 s, … 30 min between them).
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelaySeconds: Double

    public init(maxAttempts: Int = 10, baseDelaySeconds: Double = 7) {
        self.maxAttempts = maxAttempts
        self.baseDelaySeconds = baseDelaySeconds
    }

    /// The delay after the `attempt`-th failed attempt (1-based), or nil when it was the last.
    public func delay(afterAttempt attempt: Int, jitter: Double = Double.random(in: -0.2...0.2)) -> Double? {
        guard attempt < self.maxAttempts else { return nil }
        return self.baseDelaySeconds * pow(2, Double(attempt - 1)) * (1 + jitter)
    }
}
