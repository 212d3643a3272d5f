import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VigilCore

/// `POST`s a JSON body and reports the answer as a delivery attempt: 2xx is delivered; any
/// other status, a timeout or no connection is a failure described by a fixed phrase (never
/// the error's own text, which can carry addresses and internals). A 429's `Retry-After`
/// (seconds, at most an hour) is passed on so the next attempt waits for it.
struct JSONPoster: Sendable {
    let client: HTTPClient
    let timeout: TimeAmount
    let destinations: DestinationPolicy

    func post(_ body: [UInt8], to url: String, headers: [(String, String)] = [], clock: AttemptClock = AttemptClock()) async -> DeliveryAttempt {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            return clock.attempt(nil, "invalid URL")
        }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        do {
            _ = try await self.destinations.addresses(of: host, port: port)
        } catch {
            return clock.attempt(nil, DestinationPolicy.phrase(error))
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !request.headers.contains(name: "User-Agent") { request.headers.add(name: "User-Agent", value: "Vigil-Notifications/1") }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await self.client.execute(request, timeout: self.timeout)
            // The body is not needed; read a little so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            if (200..<300).contains(code) { return clock.attempt(code, nil) }
            let retryAfter = code == 429 ? response.headers.first(name: "Retry-After").flatMap { Int($0) }.map { min(max($0, 1), 3600) } : nil
            return clock.attempt(code, "HTTP \(code)", retryAfterSeconds: retryAfter)
        } catch {
            return clock.attempt(nil, Self.describe(error))
        }
    }

    /// A short reason for the deliveries list: a fixed phrase per kind of failure.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timeout"
            case .remoteConnectionClosed: return "connection closed by the receiver"
            case .invalidURL, .emptyHost, .emptyScheme: return "invalid URL"
            default: return "HTTP client error"
            }
        }
        let type = String(describing: Swift.type(of: error))
        if type.contains("Connection") { return "connection failed" }
        if type.contains("SSL") || type.contains("TLS") { return "TLS handshake failed" }
        return "request failed"
    }
}
