import ArgumentParser
import VigilHTTP

/// The syslog and GELF listeners of `vigil serve`.
struct LogSourceOptions: ParsableArguments {
    @Option(name: .customLong(Settings.syslogUDP.flag!), help: .init(stringLiteral: Settings.syslogUDP.help))
    var syslogUDP: String?

    @Option(name: .customLong(Settings.syslogTCP.flag!), help: .init(stringLiteral: Settings.syslogTCP.help))
    var syslogTCP: String?

    @Option(name: .customLong(Settings.syslogTLS.flag!), help: .init(stringLiteral: Settings.syslogTLS.help))
    var syslogTLS: String?

    @Option(name: .customLong(Settings.syslogTLSCert.flag!), help: .init(stringLiteral: Settings.syslogTLSCert.help))
    var syslogTLSCert: String?

    @Option(name: .customLong(Settings.syslogTLSKey.flag!), help: .init(stringLiteral: Settings.syslogTLSKey.help))
    var syslogTLSKey: String?

    @Option(name: .customLong(Settings.syslogTLSClientCA.flag!), help: .init(stringLiteral: Settings.syslogTLSClientCA.help))
    var syslogTLSClientCA: String?

    @Option(name: .customLong(Settings.gelfUDP.flag!), help: .init(stringLiteral: Settings.gelfUDP.help))
    var gelfUDP: String?

    @Option(name: .customLong(Settings.gelfTCP.flag!), help: .init(stringLiteral: Settings.gelfTCP.help))
    var gelfTCP: String?

    @Option(name: .customLong(Settings.logSourceNetworks.flag!), help: .init(stringLiteral: Settings.logSourceNetworks.help))
    var logSourceNetworks: String?

    @Option(name: .customLong(Settings.logSourcePeerConnections.flag!), help: .init(stringLiteral: Settings.logSourcePeerConnections.help))
    var logSourcePeerConnections: String?

    @Option(name: .customLong(Settings.logSourceConnections.flag!), help: .init(stringLiteral: Settings.logSourceConnections.help))
    var logSourceConnections: String?

    var given: [(Setting, String?)] {
        [
            (Settings.syslogUDP, self.syslogUDP),
            (Settings.syslogTCP, self.syslogTCP),
            (Settings.syslogTLS, self.syslogTLS),
            (Settings.syslogTLSCert, self.syslogTLSCert),
            (Settings.syslogTLSKey, self.syslogTLSKey),
            (Settings.syslogTLSClientCA, self.syslogTLSClientCA),
            (Settings.gelfUDP, self.gelfUDP),
            (Settings.gelfTCP, self.gelfTCP),
            (Settings.logSourceNetworks, self.logSourceNetworks),
            (Settings.logSourcePeerConnections, self.logSourcePeerConnections),
            (Settings.logSourceConnections, self.logSourceConnections),
        ]
    }
}
