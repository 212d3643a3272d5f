extension VigilClient {
    /// How the background sender batches, retries and bounds itself.
    public struct Configuration: Sendable {
        /// Events per batch request (Vigil takes at most 1000).
        public var maxBatch = 500
        /// How long the oldest queued event waits for a batch to fill.
        public var flushInterval: Duration = .milliseconds(500)
        /// At most this many events are held, the batch in flight included.
        public var maxQueue = 10_000
        /// At most this many bytes of event JSON are held.
        public var maxQueueBytes = 16 << 20
        /// First retry delay; it doubles per failed attempt up to `backoffMax`, with jitter,
        /// and is never shorter than Vigil's `Retry-After`.
        public var backoffBase: Duration = .milliseconds(500)
        public var backoffMax: Duration = .seconds(30)
        /// Per request.
        public var requestTimeout: Duration = .seconds(10)
        /// How long graceful shutdown keeps delivering what is queued.
        public var shutdownTimeout: Duration = .seconds(5)

        public init() {}
    }
}
