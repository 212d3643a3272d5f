import Foundation
import HTTPTypes
import Hummingbird
import Logging
import VigilCore

/// Gives each request an id (the client's `X-Request-Id` if it is short and safe, else a new
/// one), puts it on every log line of the request and echoes it in the response.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let supplied = request.headers[.xRequestID]
        let id = supplied.flatMap { Self.isAcceptable($0) ? $0 : nil } ?? UUID().lowercased
        context.requestID = id
        context.logger[metadataKey: "request_id"] = .string(id)
        var response = try await next(request, context)
        response.headers[.xRequestID] = id
        return response
    }

    static func isAcceptable(_ id: String) -> Bool {
        ASCIIName.isValid(id, lengths: 1...128, extra: "-_.")
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
}
