import Synchronization

/// Token buckets by key (a principal, a client address), in this process's memory: each key
/// holds up to `capacity` tokens and regains `ratePerSecond` a second.
public final class TokenBuckets: Sendable {
    public let ratePerSecond: Double
    public let capacity: Double
    /// Keys kept before full buckets are forgotten (a full bucket is the same as none).
    let maxKeys: Int
    private let buckets = Mutex<[String: (tokens: Double, updated: ContinuousClock.Instant)]>([:])

    public init(ratePerSecond: Double, capacity: Double, maxKeys: Int = 100_000) {
        self.ratePerSecond = ratePerSecond
        self.capacity = capacity
        self.maxKeys = maxKeys
    }

    /// Takes `count` tokens from `key`'s bucket; nil when taken, else the seconds until they accrue.
    public func take(_ count: Double = 1, for key: String, now: ContinuousClock.Instant = .now) -> Int? {
        let shortfall: Double = self.buckets.withLock { buckets in
            if buckets.count >= self.maxKeys { self.forgetFull(&buckets, now: now) }
            var bucket = buckets[key] ?? (self.capacity, now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(self.capacity, bucket.tokens + seconds * self.ratePerSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= count else { return count - bucket.tokens }
            bucket.tokens -= count
            return 0
        }
        guard shortfall > 0 else { return nil }
        return max(1, Int((shortfall / self.ratePerSecond).rounded(.up)))
    }

    private func forgetFull(_ buckets: inout [String: (tokens: Double, updated: ContinuousClock.Instant)], now: ContinuousClock.Instant) {
        let refill = Duration.seconds(self.capacity / self.ratePerSecond)
        buckets = buckets.filter { now - $0.value.updated < refill }
        // Still full of recently used keys: start over rather than grow without bound.
        if buckets.count >= self.maxKeys { buckets.removeAll() }
    }
}
