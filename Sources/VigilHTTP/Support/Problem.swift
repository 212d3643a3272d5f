import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore

/// An RFC 9457 problem document. `code` is stable and machine-readable; `detail` is for people
/// and never carries internals (SQL, stack traces, file paths).
struct Problem: Sendable {
    var status: HTTPResponse.Status
    var code: String
    var title: String
    var detail: String
    var errors: [FieldError] = []
    var headers: HTTPFields = [:]

    var json: String {
        var writer = JSONWriter()
        writer.object { object in
            object.field("type", "https://vigil.dev/problems/\(self.code.replacingOccurrences(of: "_", with: "-"))")
            object.field("title", self.title)
            object.field("status", Int64(self.status.code))
            object.field("detail", self.detail)
            object.field("code", self.code)
            if !self.errors.isEmpty {
                var list = JSONWriter()
                list.raw("[")
                for (index, error) in self.errors.enumerated() {
                    if index > 0 { list.raw(",") }
                    list.object { item in
                        item.field("field", error.field)
                        item.field("message", error.message)
                    }
                }
                list.raw("]")
                object.rawField("errors", list.output)
            }
        }
        return writer.output
    }

    func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        headers[.cacheControl] = "no-store"
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: self.json)))
    }
}

extension Problem {
    /// The one mapping from domain errors to HTTP.
    init(_ error: VigilError) {
        switch error {
        case .validation(let errors):
            self.init(
                status: .badRequest,
                code: "validation_failed",
                title: "Invalid request",
                detail: "One or more fields are invalid.",
                errors: errors
            )
        case .malformedJSON(let detail):
            self.init(status: .badRequest, code: "malformed_json", title: "Malformed JSON", detail: detail)
        case .payloadTooLarge(let limit):
            self.init(
                status: .contentTooLarge,
                code: "payload_too_large",
                title: "Payload too large",
                detail: "The request body exceeds \(limit) bytes."
            )
        case .unsupportedMediaType(let detail):
            self.init(status: .unsupportedMediaType, code: "unsupported_media_type", title: "Unsupported media type", detail: detail)
        case .unauthenticated(let detail):
            self.init(
                status: .unauthorized,
                code: "unauthenticated",
                title: "Unauthenticated",
                detail: detail,
                headers: [.wwwAuthenticate: "Bearer realm=\"vigil\""]
            )
        case .forbidden(let detail):
            self.init(status: .forbidden, code: "forbidden", title: "Forbidden", detail: detail)
        case .notFound(let detail):
            self.init(status: .notFound, code: "not_found", title: "Not found", detail: detail)
        case .conflict(let code, let detail, let errors):
            self.init(status: .conflict, code: code, title: "Conflict", detail: detail, errors: errors)
        case .registrationClosed:
            self.init(
                status: .forbidden,
                code: "registration_closed",
                title: "Registration closed",
                detail: "Self-registration is disabled on this server."
            )
        case .tooManyRequests(let retryAfter, let detail):
            self.init(
                status: .tooManyRequests,
                code: "too_many_requests",
                title: "Too many requests",
                detail: detail,
                headers: [.retryAfter: "\(retryAfter)"]
            )
        case .overloaded(let retryAfter):
            self.init(
                status: .serviceUnavailable,
                code: "overloaded",
                title: "Overloaded",
                detail: "Too much work is queued; retry later.",
                headers: [.retryAfter: "\(retryAfter)"]
            )
        case .unavailable(let retryAfter):
            self.init(
                status: .serviceUnavailable,
                code: "unavailable",
                title: "Service unavailable",
                detail: "The database is unavailable; the request did not complete. Retry later (resending an event with the same id is safe).",
                headers: [.retryAfter: "\(retryAfter)"]
            )
        case .unprocessable(let detail):
            self.init(status: .unprocessableContent, code: "unprocessable", title: "Unprocessable", detail: detail)
        }
    }

    static let internalError = Problem(
        status: .internalServerError,
        code: "internal_error",
        title: "Internal error",
        detail: "An unexpected error occurred. Quote the request id when reporting it."
    )
}
