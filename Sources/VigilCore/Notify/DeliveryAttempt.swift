/// One delivery attempt as the receiver answered it.
public struct DeliveryAttempt: Sendable, Equatable {
    public var at: Timestamp
    /// The HTTP status (or SMTP reply code); nil when no answer came (timeout, refused).
    public var statusCode: Int?
    public var error: String?
    public var latencyMilliseconds: Int
    /// How long the receiver asked to be left alone (HTTP 429 `Retry-After`), in seconds; the
    /// next attempt waits at least this long. Not stored.
    public var retryAfterSeconds: Int?

    public init(at: Timestamp, statusCode: Int?, error: String?, latencyMilliseconds: Int, retryAfterSeconds: Int? = nil) {
        self.at = at
        self.statusCode = statusCode
        self.error = error
        self.latencyMilliseconds = latencyMilliseconds
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var succeeded: Bool { self.error == nil }
}
