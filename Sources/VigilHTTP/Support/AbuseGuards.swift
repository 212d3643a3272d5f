import VigilCore

/// This node's in-memory guards for the routes anyone may call.
struct AbuseGuards: Sendable {
    /// Password checks in flight per username and address.
    let logins: LoginGate
    /// Blocks and rate limits already put on record.
    let notices: ThrottleNotices
    /// Self-registrations per address: `registrationsPerHour` at once, then evenly over the hour.
    let registrations: TokenBuckets
    /// Refresh and logout requests per address: 60 at once, then one a second.
    let tokenRequests: TokenBuckets

    init(registrationsPerHour: Int) {
        self.logins = LoginGate()
        self.notices = ThrottleNotices()
        let hourly = Double(max(1, registrationsPerHour))
        self.registrations = TokenBuckets(ratePerSecond: hourly / 3600, capacity: hourly)
        self.tokenRequests = TokenBuckets(ratePerSecond: 1, capacity: 60)
    }
}
