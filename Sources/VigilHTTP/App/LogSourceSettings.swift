import Foundation
import VigilCore
import VigilLogSources

/// Where the log-source listeners listen (each off unless given) and whom they take messages
/// from; `listeners()` makes one configuration per listener that is on.
public struct LogSourceSettings: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: Int
    }

    public var syslogUDP: Address?
    public var syslogTCP: Address?
    public var syslogTLS: Address?
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?
    public var tlsClientCAFile: String?
    public var gelfUDP: Address?
    public var gelfTCP: Address?
    public var allowedNetworks: [CIDRRange] = [CIDRRange("0.0.0.0/0")!, CIDRRange("::/0")!]
    public var maxConnectionsPerPeer = 16
    public var maxConnections = 1024

    public init() {}

    /// `host:port`, `[v6]:port` or `:port` (every interface).
    static func address(_ text: String, variable: String) throws -> Address {
        let expectation = "\(variable) must be host:port, [ipv6]:port or :port with a port from 0 to 65535"
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw StartupError(expectation)
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        guard !host.contains(" "), !host.contains("/") else { throw StartupError(expectation) }
        return Address(host: host, port: port)
    }

    /// One configuration per listener that is on. A TLS listener without both files is a
    /// startup error naming the missing variable.
    func listeners() throws -> [LogListenerConfiguration] {
        var result: [LogListenerConfiguration] = []
        func add(_ format: LogListenerConfiguration.Format, _ transport: LogListenerConfiguration.Transport, _ address: Address?) {
            guard let address else { return }
            result.append(
                LogListenerConfiguration(
                    format: format,
                    transport: transport,
                    host: address.host,
                    port: address.port,
                    allowedNetworks: self.allowedNetworks,
                    maxConnectionsPerPeer: self.maxConnectionsPerPeer,
                    maxConnections: self.maxConnections
                )
            )
        }
        add(.syslog, .udp, self.syslogUDP)
        add(.syslog, .tcp, self.syslogTCP)
        if self.syslogTLS != nil {
            guard let certificate = self.tlsCertificateFile else { throw StartupError("VIGIL_SYSLOG_TLS needs VIGIL_SYSLOG_TLS_CERT") }
            guard let key = self.tlsKeyFile else { throw StartupError("VIGIL_SYSLOG_TLS needs VIGIL_SYSLOG_TLS_KEY") }
            add(.syslog, .tls(certificateFile: certificate, keyFile: key, clientCAFile: self.tlsClientCAFile), self.syslogTLS)
        }
        add(.gelf, .udp, self.gelfUDP)
        add(.gelf, .tcp, self.gelfTCP)
        return result
    }
}
