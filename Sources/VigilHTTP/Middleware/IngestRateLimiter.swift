import Foundation
import Synchronization
import VigilCore

/// Per-principal token buckets for ingest (events per second; off when the rate is 0).
///
/// The bucket holds at least one full batch (1,000 events), so a principal within its rate
/// can always send a maximal batch. State is per process: with several nodes each enforces
/// the rate on its own.
final class IngestRateLimiter: Sendable {
    private let rate: Double
    private let capacity: Double
    private let buckets = Mutex<[String: (tokens: Double, updated: ContinuousClock.Instant)]>([:])

    init(eventsPerSecond: Int) {
        self.rate = Double(eventsPerSecond)
        self.capacity = Double(max(eventsPerSecond, EventsController.maxBatchEvents))
    }

    /// Takes `count` tokens for `principal` or throws 429 with the seconds until they accrue.
    func admit(_ count: Int, for principal: String) throws {
        guard self.rate > 0 else { return }
        let now = ContinuousClock.now
        let shortfall: Double = self.buckets.withLock { buckets in
            var bucket = buckets[principal] ?? (self.capacity, now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(self.capacity, bucket.tokens + seconds * self.rate)
            bucket.updated = now
            defer { buckets[principal] = bucket }
            guard bucket.tokens >= Double(count) else { return Double(count) - bucket.tokens }
            bucket.tokens -= Double(count)
            return 0
        }
        if shortfall > 0 {
            throw VigilError.tooManyRequests(
                retryAfter: Int((shortfall / self.rate).rounded(.up)),
                detail: "Ingest rate limit of \(Int(self.rate)) events per second exceeded."
            )
        }
    }
}
