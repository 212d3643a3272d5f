import Foundation
import VigilCore

extension Settings {
    static func listenAddress(
        _ name: String,
        _ summary: String,
        _ keyPath: any WritableKeyPath<LogSourceSettings, LogSourceSettings.Address?> & Sendable
    ) -> Setting {
        let variable = Setting.variable(name)
        return Setting.text(name, summary, default: "off") { text, configuration in
            configuration.logSources[keyPath: keyPath] = try LogSourceSettings.address(text, variable: variable)
        }
    }

    static func readableFile(_ name: String, _ summary: String, _ assign: @escaping @Sendable (String, inout AppConfiguration) -> Void) -> Setting {
        let variable = Setting.variable(name)
        return Setting.text(name, summary, default: "none") { text, configuration in
            guard FileManager.default.isReadableFile(atPath: text) else { throw StartupError("\(variable): cannot read \(text)") }
            assign(text, &configuration)
        }
    }

    public static let syslogUDP = listenAddress("syslog-udp", "host:port to receive syslog (RFC 5424/3164, CEF) over UDP", \.syslogUDP)
    public static let syslogTCP = listenAddress("syslog-tcp", "host:port to receive syslog over TCP (RFC 6587 framing)", \.syslogTCP)
    public static let syslogTLS = listenAddress("syslog-tls", "host:port to receive syslog over TCP with TLS", \.syslogTLS)
    public static let syslogTLSCert = readableFile("syslog-tls-cert", "PEM certificate chain of the syslog TLS listener") {
        $1.logSources.tlsCertificateFile = $0
    }
    public static let syslogTLSKey = readableFile("syslog-tls-key", "PEM private key of the syslog TLS listener") {
        $1.logSources.tlsKeyFile = $0
    }
    public static let syslogTLSClientCA = readableFile(
        "syslog-tls-client-ca",
        "PEM CA that syslog TLS senders' certificates must chain to (mutual TLS)"
    ) { $1.logSources.tlsClientCAFile = $0 }
    public static let gelfUDP = listenAddress("gelf-udp", "host:port to receive GELF over UDP (chunked, gzip or zlib)", \.gelfUDP)
    public static let gelfTCP = listenAddress("gelf-tcp", "host:port to receive GELF over TCP (NUL-delimited)", \.gelfTCP)
    public static let logSourceNetworks = Setting.text(
        "log-source-networks",
        "Comma-separated CIDRs log senders must be in",
        default: "any"
    ) { text, configuration in
        configuration.logSources.allowedNetworks = try Setting.list(text).map { item in
            guard let range = CIDRRange(item) else { throw StartupError("VIGIL_LOG_SOURCE_NETWORKS: '\(item)' is not a CIDR range") }
            return range
        }
    }
    public static let logSourcePeerConnections = Setting.integer(
        "log-source-peer-connections",
        "Open TCP connections per sender address, per listener",
        \.logSources.maxConnectionsPerPeer,
        1...100_000
    )
    public static let logSourceConnections = Setting.integer(
        "log-source-connections",
        "Open TCP connections per listener",
        \.logSources.maxConnections,
        1...1_000_000
    )
    public static let logSources = [
        syslogUDP, syslogTCP, syslogTLS, syslogTLSCert, syslogTLSKey, syslogTLSClientCA, gelfUDP, gelfTCP, logSourceNetworks,
        logSourcePeerConnections,
        logSourceConnections,
    ]
}
