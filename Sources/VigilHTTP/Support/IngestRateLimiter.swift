import Foundation
import VigilCore

/// Per-principal token buckets for ingest (events per second; off when the rate is 0).
///
/// The bucket holds at least one full batch (`NewEvent.maxBatchEvents`), so a principal within its rate
/// can always send a maximal batch. State is per process: with several nodes each enforces
/// the rate on its own.
final class IngestRateLimiter: Sendable {
    private let rate: Int
    private let buckets: TokenBuckets

    init(eventsPerSecond: Int) {
        self.rate = eventsPerSecond
        self.buckets = TokenBuckets(
            ratePerSecond: Double(eventsPerSecond),
            capacity: Double(max(eventsPerSecond, NewEvent.maxBatchEvents))
        )
    }

    /// Takes `count` tokens for `principal` or throws 429 with the seconds until they accrue.
    func admit(_ count: Int, for principal: String) throws {
        guard self.rate > 0 else { return }
        if let retryAfter = self.buckets.take(Double(count), for: principal) {
            throw VigilError.tooManyRequests(
                retryAfter: retryAfter,
                detail: "Ingest rate limit of \(self.rate) events per second exceeded."
            )
        }
    }
}
