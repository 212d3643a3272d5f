import ArgumentParser
import VigilHTTP

/// Limits that protect a node from hostile clients (`vigil serve`).
struct HardeningOptions: ParsableArguments {
    @Option(name: .customLong(Settings.idleTimeout.flag!), help: .init(stringLiteral: Settings.idleTimeout.help))
    var idleTimeout: String?

    @Option(name: .customLong(Settings.maxConnections.flag!), help: .init(stringLiteral: Settings.maxConnections.help))
    var maxConnections: String?

    @Option(name: .customLong(Settings.alertStormLimit.flag!), help: .init(stringLiteral: Settings.alertStormLimit.help))
    var alertStormLimit: String?

    @Option(name: .customLong(Settings.registrationRate.flag!), help: .init(stringLiteral: Settings.registrationRate.help))
    var registrationRate: String?

    @Option(name: .customLong(Settings.allowPrivateTargets.flag!), help: .init(stringLiteral: Settings.allowPrivateTargets.help))
    var allowPrivateTargets: String?

    @Option(name: .customLong(Settings.channelHosts.flag!), help: .init(stringLiteral: Settings.channelHosts.help))
    var channelHosts: String?

    @Option(name: .customLong(Settings.proxyHeader.flag!), help: .init(stringLiteral: Settings.proxyHeader.help))
    var proxyHeader: String?

    var given: [(Setting, String?)] {
        [
            (Settings.idleTimeout, self.idleTimeout),
            (Settings.maxConnections, self.maxConnections),
            (Settings.alertStormLimit, self.alertStormLimit),
            (Settings.registrationRate, self.registrationRate),
            (Settings.allowPrivateTargets, self.allowPrivateTargets),
            (Settings.channelHosts, self.channelHosts),
            (Settings.proxyHeader, self.proxyHeader),
        ]
    }
}
