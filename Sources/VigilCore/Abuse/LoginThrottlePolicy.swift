/// How failed logins are throttled, per client address and per attempted username.
///
/// - Per address: at most `ipFailuresPerMinute` failures in a fixed one-minute window; once
///   reached, every login from that address waits for the window to end.
/// - Per username: after `userFailuresBeforeBackoff` consecutive failures, each further failure
///   blocks the username for `baseBackoffSeconds × 2^(n - limit)` seconds (capped at
///   `maxBackoffSeconds`). A
///   successful login resets the count. Unknown usernames are throttled the same way, so the
///   answer never reveals whether a username exists.
public struct LoginThrottlePolicy: Sendable, Equatable {
    public var ipFailuresPerMinute: Int
    public var userFailuresBeforeBackoff: Int
    public var maxBackoffSeconds: Int64
    /// The first block's length.
    public var baseBackoffSeconds: Int64

    public init(ipFailuresPerMinute: Int = 10, userFailuresBeforeBackoff: Int = 5, maxBackoffSeconds: Int64 = 900, baseBackoffSeconds: Int64 = 1) {
        self.ipFailuresPerMinute = ipFailuresPerMinute
        self.userFailuresBeforeBackoff = userFailuresBeforeBackoff
        self.maxBackoffSeconds = maxBackoffSeconds
        self.baseBackoffSeconds = max(1, baseBackoffSeconds)
    }

    /// The failure counter of one key after one more failure at `now`.
    public func afterFailure(_ state: LoginFailureState?, kind: LoginThrottleKey.Kind, now: Timestamp) -> LoginFailureState {
        switch kind {
        case .ip:
            var state = state ?? LoginFailureState(count: 0, windowStart: now, blockedUntil: nil)
            if now >= state.windowStart.adding(seconds: 60) { state = LoginFailureState(count: 0, windowStart: now, blockedUntil: nil) }
            state.count += 1
            if state.count >= self.ipFailuresPerMinute { state.blockedUntil = state.windowStart.adding(seconds: 60) }
            return state
        case .user:
            var state = state ?? LoginFailureState(count: 0, windowStart: now, blockedUntil: nil)
            state.count += 1
            let excess = state.count - self.userFailuresBeforeBackoff
            if excess >= 0 {
                let seconds = min(self.maxBackoffSeconds, self.baseBackoffSeconds << Int64(min(excess, 30)))
                state.blockedUntil = now.adding(seconds: seconds)
            }
            return state
        }
    }
}

/// What is throttled: a client address or an attempted username (lower-cased).
///
/// An IPv6 address counts as its /64: one subscriber usually holds a whole /64 and could
/// otherwise rotate addresses past the per-address limit.
public struct LoginThrottleKey: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case ip, user
    }

    public var kind: Kind
    public var value: String

    public init(_ kind: Kind, _ value: String) {
        self.kind = kind
        switch kind {
        case .user: self.value = Self.asciiLowercased(value)
        case .ip: self.value = IPAddress(value).map(Self.addressKey) ?? value
        }
    }

    /// `IPv4` as is; IPv6 as the hex of its first 64 bits and `/64`.
    static func addressKey(_ address: IPAddress) -> String {
        guard !address.isIPv4 else { return address.text }
        let hex = address.bytes.prefix(8).map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }
        return hex.joined() + "/64"
    }

    // Usernames are ASCII; folding only ASCII keeps the key independent of locale rules that
    // fold other letters (`İ`) differently in Swift and in a database.
    static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    public var storageKey: String { "\(self.kind.rawValue):\(self.value)" }
}

/// The stored failure counter of one key.
public struct LoginFailureState: Sendable, Equatable {
    public var count: Int
    public var windowStart: Timestamp
    public var blockedUntil: Timestamp?

    public init(count: Int, windowStart: Timestamp, blockedUntil: Timestamp?) {
        self.count = count
        self.windowStart = windowStart
        self.blockedUntil = blockedUntil
    }
}
