/// Which addresses notifications may be sent to. By default only public unicast addresses:
/// an admin (or a stolen admin token) must not turn channels and their tests into a way to
/// reach the cloud metadata service, this host's loopback services or the private network.
public enum DestinationRule {
    /// Loopback, unspecified, link-local, private (RFC 1918, RFC 4193), shared (CGNAT),
    /// benchmarking, documentation, multicast, reserved and broadcast ranges, IPv4 and IPv6.
    public static let internalRanges: [CIDRRange] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3",
        "::/96", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    ].compactMap(CIDRRange.init)

    /// Whether `address` is a public unicast address.
    public static func isPublic(_ address: IPAddress) -> Bool {
        !self.internalRanges.contains { $0.contains(address) }
    }
}
