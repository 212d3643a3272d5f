import Foundation
import NIOCore
import NIOPosix
import VigilCore

/// Resolves a receiver's host and checks every address against `DestinationRule` (unless
/// `allowInternal`), right before each attempt. The SMTP client then connects to the checked
/// address itself; the HTTP client resolves the name again, so a DNS answer that changes
/// between the check and the connection (rebinding) is not caught for HTTP receivers — an
/// egress firewall is the complete answer, and the README says so.
///
/// `allowedHosts`, when set, is an egress allowlist checked before any name is resolved: a
/// receiver whose host is not in it is refused without a DNS query.
public struct DestinationPolicy: Sendable {
    public let allowInternal: Bool
    public let allowedHosts: Set<String>?

    public init(allowInternal: Bool, allowedHosts: Set<String>? = nil) {
        self.allowInternal = allowInternal
        self.allowedHosts = allowedHosts.map { Set($0.map { $0.lowercased() }) }
    }

    public enum Refusal: Error, Equatable {
        case unresolvable
        case internalAddress
        case notAllowlisted
    }

    /// The addresses of `host` (a name or an address literal) for `port`, all allowed; throws
    /// `Refusal` when the name does not resolve or any address is internal and not allowed.
    public func addresses(of host: String, port: Int) async throws(Refusal) -> [SocketAddress] {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if let allowed = self.allowedHosts, !allowed.contains(bare.lowercased()) { throw .notAllowlisted }
        let resolved: [SocketAddress]
        do {
            resolved = try await NIOThreadPool.singleton.runIfActive { try Self.resolve(bare, port: port) }
        } catch {
            throw .unresolvable
        }
        guard !resolved.isEmpty else { throw .unresolvable }
        if !self.allowInternal {
            for address in resolved {
                guard let text = address.ipAddress, let ip = IPAddress(text), DestinationRule.isPublic(ip) else { throw .internalAddress }
            }
        }
        return resolved
    }

    /// The fixed phrase a refused attempt records.
    static func phrase(_ refusal: Refusal) -> String {
        switch refusal {
        case .unresolvable: "the receiver's host name does not resolve"
        case .internalAddress: "destination not allowed (internal address)"
        case .notAllowlisted: "destination not allowed (host not in VIGIL_CHANNEL_HOSTS)"
        }
    }

    private static func resolve(_ host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr {
                switch current.pointee.ai_family {
                case AF_INET:
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { addresses.append(SocketAddress($0.pointee, host: host)) }
                case AF_INET6:
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { addresses.append(SocketAddress($0.pointee, host: host)) }
                default: break
                }
            }
            node = current.pointee.ai_next
        }
        return addresses
    }
}
