import VigilCore

/// One listener: what it speaks, where it listens, and whom it takes messages from.
public struct LogListenerConfiguration: Sendable {
    public enum Format: String, Sendable {
        case syslog, gelf
    }

    public enum Transport: Sendable, Equatable {
        case udp
        case tcp
        /// TCP with TLS; the PEM certificate chain and private key files, and when
        /// `clientCAFile` is given, the CA every sender's certificate must chain to (mutual TLS,
        /// as RFC 5425 recommends): a sender without one fails the handshake.
        case tls(certificateFile: String, keyFile: String, clientCAFile: String? = nil)

        public var name: String {
            switch self {
            case .udp: "udp"
            case .tcp: "tcp"
            case .tls: "tls"
            }
        }
    }

    public var format: Format
    public var transport: Transport
    public var host: String
    public var port: Int
    /// Senders outside every range are refused (a TCP connection is closed at once, a datagram
    /// dropped); both counted. UDP source addresses can be forged: the list limits who can
    /// connect over TCP, and only raises the bar for UDP.
    public var allowedNetworks: [CIDRRange]
    /// Open TCP connections from one address, and in all, beyond which new ones are closed.
    public var maxConnectionsPerPeer: Int
    public var maxConnections: Int

    public init(
        format: Format,
        transport: Transport,
        host: String,
        port: Int,
        allowedNetworks: [CIDRRange] = [CIDRRange("0.0.0.0/0")!, CIDRRange("::/0")!],
        maxConnectionsPerPeer: Int = 16,
        maxConnections: Int = 1024
    ) {
        self.format = format
        self.transport = transport
        self.host = host
        self.port = port
        self.allowedNetworks = allowedNetworks
        self.maxConnectionsPerPeer = maxConnectionsPerPeer
        self.maxConnections = maxConnections
    }

    /// `syslog-udp`, `gelf-tcp`, `syslog-tls`: the metrics' `listener` label, and `ingested_by`
    /// is `listener:<name>`.
    public var name: String { "\(self.format.rawValue)-\(self.transport.name)" }

    /// Whether the sender's `address` is inside an allowed network.
    public func allows(_ address: IPAddress) -> Bool {
        self.allowedNetworks.contains { $0.contains(address) }
    }

    /// The largest message (frame, or reassembled GELF) this listener accepts.
    public var maxMessageBytes: Int {
        self.format == .syslog ? SyslogParser.maxMessageBytes : GELFMessage.maxBytes
    }
}
