import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VigilCore

/// `POST`s `{type, timestamp, data}` to the channel's URL, signed per Standard Webhooks. The
/// `webhook-id` is the notification's id on every attempt (receivers deduplicate on it); the
/// timestamp and signature are fresh on each attempt. 2xx is delivered; anything else, a
/// timeout or no connection is a failed attempt.
public struct WebhookSender: ChannelSender {
    public let kind = ChannelKind.webhook
    let client: HTTPClient
    let timeout: TimeAmount

    public init(client: HTTPClient, timeout: TimeAmount = .seconds(10)) {
        self.client = client
        self.timeout = timeout
    }

    public func send(_ entry: OutboxEntry, to channel: NotificationChannel) async -> DeliveryAttempt {
        let started = ContinuousClock.now
        let at = Timestamp.now()
        func attempt(_ code: Int?, _ error: String?) -> DeliveryAttempt {
            let elapsed = ContinuousClock.now - started
            let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            return DeliveryAttempt(at: at, statusCode: code, error: error, latencyMilliseconds: milliseconds)
        }
        guard case .webhook(let url, let secret) = channel.config else { return attempt(nil, "not a webhook channel") }
        let body = Array(Self.body(entry, at: at).utf8)
        let id = "msg_" + entry.id.lowercased
        let timestamp = at.microseconds / 1_000_000
        guard let signature = WebhookSignature.sign(id: id, timestamp: timestamp, body: body, secret: secret) else {
            return attempt(nil, "the channel's secret is not a whsec_ secret")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Vigil-Webhooks/1")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(name: "webhook-signature", value: signature)
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await self.client.execute(request, timeout: self.timeout)
            // The body is not needed; read a little so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let code = Int(response.status.code)
            return (200..<300).contains(code) ? attempt(code, nil) : attempt(code, "HTTP \(code)")
        } catch {
            return attempt(nil, Self.describe(error))
        }
    }

    /// `{"type": event, "timestamp": RFC 3339, "data": alert}`.
    static func body(_ entry: OutboxEntry, at time: Timestamp) -> String {
        var writer = JSONWriter()
        writer.object { object in
            object.field("type", entry.event.rawValue)
            object.field("timestamp", time.rfc3339)
            object.rawField("data", entry.payload)
        }
        return writer.output
    }

    /// A short reason for the deliveries list: a fixed phrase per kind of failure, never the
    /// error's own description (which can carry addresses and internals).
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
