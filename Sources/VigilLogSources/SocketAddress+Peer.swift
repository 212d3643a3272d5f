import NIOCore
import VigilCore

extension SocketAddress {
    /// The sender's address as Vigil compares it with the allow-list (IPv4-mapped forms are
    /// the IPv4 address); nil for a Unix socket.
    var peerAddress: IPAddress? { self.ipAddress.flatMap(IPAddress.init) }

    /// `ip:port` (`[v6]:port`), kept in an event's `details.log.source.address`.
    var logPeer: String? {
        guard let ip = self.ipAddress else { return nil }
        guard let port = self.port else { return ip }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
