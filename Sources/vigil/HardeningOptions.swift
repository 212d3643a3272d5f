import ArgumentParser
import VigilCore
import VigilHTTP

/// Limits that protect a node from hostile clients (`vigil serve`).
struct HardeningOptions: ParsableArguments {
    @Option(name: .customLong("idle-timeout"), help: "Seconds an idle connection is kept open (env VIGIL_IDLE_TIMEOUT; default 60).")
    var idleTimeout: String?

    @Option(name: .customLong("max-connections"), help: "Connections served at once (env VIGIL_MAX_CONNECTIONS; default 4096).")
    var maxConnections: String?

    @Option(
        name: .customLong("alert-storm-limit"),
        help: "Alerts one rule may open per minute; the rest count into one storm alert (env VIGIL_ALERT_STORM_LIMIT; default 20)."
    )
    var alertStormLimit: String?

    @Option(
        name: .customLong("registration-rate"),
        help: "Self-registrations per client address per hour, when open (env VIGIL_REGISTRATION_RATE; default 10)."
    )
    var registrationRate: String?

    @Option(
        name: .customLong("allow-private-targets"),
        help: "true|false: whether channels may reach loopback, link-local and private addresses (env VIGIL_ALLOW_PRIVATE_TARGETS; default false)."
    )
    var allowPrivateTargets: String?

    @Option(
        name: .customLong("channel-hosts"),
        help: "Comma-separated hosts channels may reach, checked before DNS (env VIGIL_CHANNEL_HOSTS; default: any public host)."
    )
    var channelHosts: String?

    @Option(
        name: .customLong("proxy-header"),
        help: "x-forwarded-for|forwarded: the one header trusted proxies write (env VIGIL_PROXY_HEADER; default x-forwarded-for)."
    )
    var proxyHeader: String?

    func apply(to configuration: inout AppConfiguration) throws {
        let header = Environment.value(self.proxyHeader, "VIGIL_PROXY_HEADER") ?? "x-forwarded-for"
        guard let proxyHeader = AppConfiguration.ProxyHeader(rawValue: header.lowercased()) else {
            throw ValidationError("VIGIL_PROXY_HEADER must be x-forwarded-for or forwarded")
        }
        configuration.proxyHeader = proxyHeader
        if let hosts = Environment.value(self.channelHosts, "VIGIL_CHANNEL_HOSTS") {
            configuration.channelHosts = Set(hosts.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty })
        }
        configuration.idleTimeoutSeconds = try Environment.integer(self.idleTimeout, "VIGIL_IDLE_TIMEOUT", default: 60, range: 1...3600)
        configuration.maxConnections = try Environment.integer(self.maxConnections, "VIGIL_MAX_CONNECTIONS", default: 4096, range: 16...1_000_000)
        configuration.alertStormLimit = try Environment.integer(
            self.alertStormLimit,
            "VIGIL_ALERT_STORM_LIMIT",
            default: StormGuard.defaultLimit,
            range: 1...100_000
        )
        configuration.registrationsPerHour = try Environment.integer(
            self.registrationRate,
            "VIGIL_REGISTRATION_RATE",
            default: 10,
            range: 1...100_000
        )
        switch Environment.value(self.allowPrivateTargets, "VIGIL_ALLOW_PRIVATE_TARGETS")?.lowercased() ?? "false" {
        case "true": configuration.allowPrivateTargets = true
        case "false": configuration.allowPrivateTargets = false
        default: throw ValidationError("VIGIL_ALLOW_PRIVATE_TARGETS must be true or false")
        }
    }
}
