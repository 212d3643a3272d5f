import Foundation
import VigilCore

extension Settings {
    public static let loginIPLimit = Setting.integer(
        "login-ip-limit",
        "Failed logins per client address per minute",
        \.loginThrottle.ipFailuresPerMinute,
        1...100_000
    )
    public static let loginUserLimit = Setting.integer(
        "login-user-limit",
        "Consecutive failed logins per username before back-off",
        \.loginThrottle.userFailuresBeforeBackoff,
        1...1000
    )
    public static let loginMaxBackoff = Setting.integer(
        "login-max-backoff",
        "Longest per-username back-off, seconds",
        \.loginThrottle.maxBackoffSeconds,
        1...86_400
    )
    public static let ingestRateLimit = Setting.integer(
        "ingest-rate-limit",
        "Events per second per principal, 0 = off",
        \.ingestRateLimit,
        0...10_000_000,
        default: "0 (off)"
    )
    public static let notificationTimeout = Setting.integer(
        "notification-timeout",
        "Seconds one notification attempt may take",
        \.notificationTimeoutSeconds,
        1...300
    )
    public static let exportConcurrency = Setting.integer("export-concurrency", "Exports one node streams at once", \.exportConcurrency, 1...64)
    public static let publicURL = Setting.text(
        "public-url",
        "The URL people and Telex reach Vigil at, for integration.json",
        default: "http://HOST:PORT"
    ) { url, configuration in
        guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
            components.host?.isEmpty == false
        else { throw StartupError("VIGIL_PUBLIC_URL must be an http or https URL") }
        configuration.publicURL = url
    }
    public static let smtpCAFile = Setting.text("smtp-ca-file", "PEM file of a CA trusted for SMTP TLS besides the system's", default: "none") {
        file,
        configuration in
        guard FileManager.default.isReadableFile(atPath: file) else { throw StartupError("VIGIL_SMTP_CA_FILE: cannot read \(file)") }
        configuration.smtpCAFiles = [file]
    }
    public static let trustedProxies = Setting.text(
        "trusted-proxies",
        "Comma-separated CIDRs whose forwarding header is believed",
        default: "none"
    ) { text, configuration in
        configuration.trustedProxies = try Setting.list(text).map { item in
            guard let range = CIDRRange(item) else { throw StartupError("VIGIL_TRUSTED_PROXIES: '\(item)' is not a CIDR range") }
            return range
        }
    }
    public static let limits = [
        loginIPLimit, loginUserLimit, loginMaxBackoff, exportConcurrency, ingestRateLimit, notificationTimeout, publicURL, smtpCAFile,
        trustedProxies,
    ]
}
