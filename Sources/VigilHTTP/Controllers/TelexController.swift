import Foundation
import Hummingbird
import NIOCore
import VigilCore
import VigilNotify

/// Vigil as a Telex interval integration: `GET /integration.json` describes it, and Telex
/// posts to `POST /api/v1/integrations/telex/tick` on its schedule. Ticks carry no
/// credentials, so a tick is only honoured for a Telex `channel_id` an admin linked to an
/// enabled Vigil Telex channel, and its digest goes only to that channel's Telex host.
struct TelexController: Sendable {
    let channels: any ChannelStore
    /// The base URL Telex is told to call back.
    let publicURL: String
    let ticker: TelexTicker
    static let bodyLimit = 16 * 1024

    func addRoutes(to router: Router<VigilRequestContext>) {
        router.get("integration.json", use: self.descriptor)
        router.get("logo.svg") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/svg+xml"], body: .init(byteBuffer: ByteBuffer(string: TelexDescriptor.logo)))
        }
        router.post("api/v1/integrations/telex/tick", use: self.tick)
    }

    @Sendable func descriptor(_ request: Request, context: VigilRequestContext) async throws -> Response {
        .json(TelexDescriptor.json(baseURL: self.publicURL))
    }

    /// 202 once the tick is queued; the digest follows on its own.
    @Sendable func tick(_ request: Request, context: VigilRequestContext) async throws -> Response {
        _ = try RequestBody.format(of: request)
        let body = try RequestBody.decodeJSON(try await RequestBody.collect(request, limit: Self.bodyLimit))
        let tick = try TelexTickRequest.validate(body).get()
        let linked = try await self.channels.channels().first { channel in
            guard channel.enabled, case .telex(_, let channelID) = channel.config else { return false }
            return channelID == tick.channelID
        }
        guard let linked, case .telex(let url, _) = linked.config else {
            throw VigilError.notFound("No enabled Vigil Telex channel is linked to this channel_id (config.channel_id).")
        }
        guard tick.returnURLMatches(url) else {
            throw VigilError.validation([
                FieldError(field: "return_url", message: "must be on the linked Telex channel's host and end in its channel_id")
            ])
        }
        // A tick's setting may narrow the digest, never widen it past the channel's own floor.
        let floor = max(tick.minSeverity ?? linked.minSeverity, linked.minSeverity)
        let accepted = self.ticker.submit(.init(channel: linked, returnURL: tick.returnURL, minSeverity: floor))
        guard accepted else { throw VigilError.overloaded(retryAfter: 5) }
        return .json("{\"status\":\"accepted\"}", status: .accepted)
    }
}
