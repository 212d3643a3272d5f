import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension VigilClient {
    /// Stores one event now and returns it as stored (201, or 200 for an id Vigil already has).
    public func post(_ event: VigilClientEvent) async throws -> VigilStoredEvent {
        let body = ByteBuffer(bytes: try JSONEncoder().encode(event))
        let answer = try await self.transport.call(.POST, "/api/v1/events", body: body)
        return try Self.decode(VigilStoredEvent.self, answer)
    }

    /// One event by id (`not_found` when absent).
    public func event(id: String) async throws -> VigilStoredEvent {
        // Escaped: an id is often text from elsewhere, and must not become another path.
        let escaped = id.lowercased().addingPercentEncoding(withAllowedCharacters: VigilTransport.unreserved) ?? ""
        let answer = try await self.transport.call(.GET, "/api/v1/events/\(escaped)")
        return try Self.decode(VigilStoredEvent.self, answer)
    }

    /// Every event matching `filters`, page after page (keyset cursors: nothing missed or
    /// repeated while others arrive).
    public func query(_ filters: VigilEventQuery = VigilEventQuery()) -> VigilEventSequence {
        VigilEventSequence(transport: self.transport, filters: filters)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ buffer: ByteBuffer) throws(VigilClientError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(buffer: buffer))
        } catch {
            throw VigilClientError(status: 200, code: "unexpected_answer", detail: "Vigil's answer did not decode: \(error)")
        }
    }
}
