/// What a rollup row counts: the events of one bucket with one value of one field.
///
/// Keys are text: `total` and `failed` have the key `""`, `severity` the severity's rank
/// (`"0"` info … `"4"` critical), `ip` and `failed_ip` the normalised address; events without
/// a source, address or actor are not counted under that field.
public enum RollupKind: String, Sendable, CaseIterable {
    case total, type, severity, outcome, source, ip, actor
    /// Events of type `auth.login.failed` (`failed_logins.total`).
    case failed
    /// Addresses of `auth.login.failed` events (`failed_logins.top_ips`).
    case failedIP = "failed_ip"

    /// The event type counted as a failed login.
    public static let failedLoginType = AuditEventType.loginFailed.rawValue

    /// Kinds reported as top lists (the rest are reported in full).
    public var isTopList: Bool { self == .ip || self == .actor || self == .failedIP }
}
