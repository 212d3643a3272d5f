/// How an email channel reaches its SMTP server and whom it writes to.
public struct EmailSettings: Sendable, Equatable {
    public enum Security: String, Sendable, CaseIterable {
        /// Plain text all the way (a relay on the same host or network).
        case none
        /// Plain connection upgraded with `STARTTLS` before authenticating; refused if the
        /// server does not offer it.
        case starttls
        /// TLS from the first byte (SMTPS, usually port 465).
        case tls

        /// The usual port for this security.
        public var defaultPort: Int {
            switch self {
            case .none: 25
            case .starttls: 587
            case .tls: 465
            }
        }
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// With `password`, authenticates with `AUTH PLAIN` (or `LOGIN`); never over plain text
    /// unless `security` is `none`, which the operator chose.
    public var username: String?
    /// Write-only: stored to authenticate, never returned.
    public var password: String?
    public var from: String
    public var to: [String]

    public init(host: String, port: Int, security: Security, username: String? = nil, password: String? = nil, from: String, to: [String]) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
        self.to = to
    }
}
