#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address in canonical form.
///
/// `text` is the normalized spelling Vigil stores and returns: dotted quad for IPv4, RFC 5952
/// for IPv6 (lower case, longest zero run compressed, IPv4-mapped as `::ffff:a.b.c.d`).
/// `bytes` is 16 bytes (IPv4 mapped into `::ffff:0:0/96`) so ranges compare bytewise.
public struct IPAddress: Sendable, Hashable {
    public let text: String
    public let bytes: [UInt8]
    public let isIPv4: Bool

    public init?(_ input: String) {
        guard !input.isEmpty, input.utf8.count <= 64 else { return nil }
        var v4 = in_addr()
        if input.withCString({ inet_pton(AF_INET, $0, &v4) }) == 1 {
            let raw = withUnsafeBytes(of: &v4) { Array($0) }
            self.isIPv4 = true
            self.bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + raw
            self.text = raw.map(String.init).joined(separator: ".")
            return
        }
        var v6 = in6_addr()
        guard input.withCString({ inet_pton(AF_INET6, $0, &v6) }) == 1 else { return nil }
        self.isIPv4 = false
        self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        // glibc's inet_ntop follows RFC 5952 (a single zero group is not compressed, lower-case hex).
        self.text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`); a bare address is a /32 or /128.
public struct CIDRRange: Sendable, Hashable {
    /// Lowest and highest address in the range, as 16-byte values (see `IPAddress.bytes`).
    public let lower: [UInt8]
    public let upper: [UInt8]
    public let text: String

    public init?(_ input: String) {
        let parts = input.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maxPrefix = address.isIPv4 ? 32 : 128
        var prefix = maxPrefix
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...maxPrefix).contains(value), parts[1].allSatisfy(\.isASCII) else {
                return nil
            }
            prefix = value
        }
        let bits = address.isIPv4 ? prefix + 96 : prefix
        var lower = address.bytes
        var upper = address.bytes
        for index in 0..<16 {
            let keep = max(0, min(8, bits - index * 8))
            let mask: UInt8 = keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
            lower[index] &= mask
            upper[index] |= ~mask
        }
        self.lower = lower
        self.upper = upper
        self.text = "\(address.text)/\(prefix)"
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.lexicographicallyPrecedes(self.lower) == false
            && self.upper.lexicographicallyPrecedes(address.bytes) == false
    }
}
