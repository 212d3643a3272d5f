import HTTPTypes
import Hummingbird
import VigilCore

/// Decides the client address. By default it is the socket peer; only when the peer is one of
/// `VIGIL_TRUSTED_PROXIES` is the one header the proxies write (`VIGIL_PROXY_HEADER`:
/// `X-Forwarded-For` or `Forwarded: for=`) believed, and then the client is the rightmost
/// address not itself a trusted proxy — so a client cannot forge its address by sending the
/// header through a proxy that appends to it, nor by sending the other header, which a proxy
/// that does not write it passes on untouched.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let trusted: [CIDRRange]
    var header: AppConfiguration.ProxyHeader = .xForwardedFor

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !self.trusted.isEmpty, let peer = context.clientIP.flatMap(IPAddress.init), self.isTrusted(peer) else {
            return try await next(request, context)
        }
        let chain = Self.forwardedChain(request.headers, from: self.header)
        guard !chain.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientIP = (chain.last { !self.isTrusted($0) } ?? chain[0]).text
        return try await next(request, context)
    }

    func isTrusted(_ address: IPAddress) -> Bool { self.trusted.contains { $0.contains(address) } }

    /// The addresses a request passed through, client first, from the configured header only.
    /// Entries that are not addresses (e.g. `unknown`, obfuscated ids) are skipped.
    static func forwardedChain(_ headers: HTTPFields, from header: AppConfiguration.ProxyHeader) -> [IPAddress] {
        guard header == .forwarded else {
            return headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }.compactMap { Self.address(String($0)) }
        }
        return headers[values: .forwarded].flatMap { $0.split(separator: ",") }.compactMap { element in
            element.split(separator: ";").lazy.map { $0.trimmingSpaces }.first { $0.lowercased().hasPrefix("for=") }
                .flatMap { Self.address(String($0.dropFirst(4))) }
        }
    }

    /// An address from `1.2.3.4`, `"[2001:db8::1]:4711"`, `1.2.3.4:80` and similar spellings.
    static func address(_ raw: String) -> IPAddress? {
        var text = Substring(raw).trimmingSpaces
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        if text.hasPrefix("[") {
            guard let end = text.firstIndex(of: "]") else { return nil }
            return IPAddress(String(text[text.index(after: text.startIndex)..<end]))
        }
        if let address = IPAddress(String(text)) { return address }
        // IPv4 with a port.
        if let colon = text.lastIndex(of: ":"), text.filter({ $0 == ":" }).count == 1 { return IPAddress(String(text[..<colon])) }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        let start = self.drop { $0 == " " || $0 == "\t" }
        guard let last = start.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return start[start.startIndex..<start.startIndex] }
        return start[...last]
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let forwarded = Self("Forwarded")!
}
