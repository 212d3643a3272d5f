import Foundation
import VigilCore

extension Settings {
    public static let proxyHeader = Setting.choice(
        "proxy-header",
        "x-forwarded-for|forwarded: the one header trusted proxies write",
        \.proxyHeader,
        ["x-forwarded-for": .xForwardedFor, "forwarded": .forwarded]
    )
    public static let alertStormLimit = Setting.integer(
        "alert-storm-limit",
        "Alerts one rule may open per minute; the rest count into one storm alert",
        \.alertStormLimit,
        1...100_000
    )
    public static let registrationRate = Setting.integer(
        "registration-rate",
        "Self-registrations per client address per hour, when open",
        \.registrationsPerHour,
        1...100_000
    )
    public static let allowPrivateTargets = Setting.choice(
        "allow-private-targets",
        "true|false: whether channels may reach loopback, link-local and private addresses",
        \.allowPrivateTargets,
        ["true": true, "false": false]
    )
    public static let channelHosts = Setting.text(
        "channel-hosts",
        "Comma-separated hosts channels may reach, checked before DNS",
        default: "any public host"
    ) { text, configuration in configuration.channelHosts = Set(Setting.list(text)) }
    public static let idleTimeout = Setting.integer("idle-timeout", "Seconds an idle connection is kept open", \.idleTimeoutSeconds, 1...3600)
    public static let maxConnections = Setting.integer("max-connections", "Connections served at once", \.maxConnections, 16...1_000_000)
    public static let hardening = [proxyHeader, alertStormLimit, allowPrivateTargets, channelHosts, idleTimeout, maxConnections]

    /// Every setting, each once.
    public static var all: [Setting] { database + serve + [registrationRate] + limits + hardening + logSources + ledgerSettings }
}
