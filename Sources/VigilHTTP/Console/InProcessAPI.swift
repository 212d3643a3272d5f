import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore

/// The console's way to the core: it calls the API's own route handlers in process, as the
/// signed-in person, so a page does exactly what the matching `/api/v1` request does — the same
/// validation, permission checks, store calls and audit records — and then renders the JSON.
enum InProcessAPI {
    typealias Handler = @Sendable (Request, VigilRequestContext) async throws -> Response

    /// Calls `handler` with `method`, the query string `query` and an optional JSON `body`;
    /// `id` fills the `{id}` path parameter. Returns the parsed JSON answer (nil for 204).
    static func call(
        _ handler: Handler,
        _ method: HTTPRequest.Method = .get,
        query: [(String, String)] = [],
        body: JSONValue? = nil,
        id: UUID? = nil,
        from request: Request,
        context: VigilRequestContext
    ) async throws -> JSONValue? {
        let response = try await handler(Self.request(method, query: query, body: body, like: request), Self.context(context, id: id))
        return try await Self.json(of: response)
    }

    /// A request like `original` (headers kept for the audit record) with another method, query and body.
    static func request(_ method: HTTPRequest.Method, query: [(String, String)], body: JSONValue?, like original: Request) -> Request {
        var fields = original.headers
        fields[.contentType] = body == nil ? nil : "application/json"
        fields[.contentLength] = nil
        let queryString = query.isEmpty ? "" : "?" + QueryString.encode(query)
        let head = HTTPRequest(method: method, scheme: nil, authority: nil, path: original.uri.path + queryString, headerFields: fields)
        let buffer = ByteBuffer(string: body?.canonicalJSON ?? "")
        return Request(head: head, body: .init(buffer: buffer))
    }

    static func context(_ context: VigilRequestContext, id: UUID?) -> VigilRequestContext {
        var copy = context
        if let id { copy.coreContext.parameters["id"] = Substring(id.lowercased) }
        return copy
    }

    /// The response's JSON body, or nil when it has none.
    static func json(of response: Response) async throws -> JSONValue? {
        let collected = CollectedBody()
        try await response.body.write(BodyCollector(into: collected))
        guard collected.buffer.readableBytes > 0 else { return nil }
        return try JSONParser.parse(collected.buffer.readableBytesView)
    }
}

/// A response body gathered in memory (the API's JSON answers are bounded by their page size).
final class CollectedBody {
    var buffer = ByteBuffer()
}

struct BodyCollector: ResponseBodyWriter {
    let into: CollectedBody

    mutating func write(_ buffer: ByteBuffer) async throws {
        var copy = buffer
        self.into.buffer.writeBuffer(&copy)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
