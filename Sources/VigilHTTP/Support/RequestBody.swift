import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import VigilCore

/// Reading and decoding request bodies with a size limit and strict media types.
enum RequestBody {
    static let defaultLimit = 1 << 20
    static let batchLimit = 10 << 20
    /// Bodies of the routes anyone may call (login, registration, refresh, logout): a few
    /// short strings, so nothing larger is read or parsed for a stranger.
    static let credentialsLimit = 8 << 10

    enum Format {
        case json, ndjson
    }

    /// The body's format from `Content-Type`; only JSON (and NDJSON where `allowNDJSON`) is accepted.
    static func format(of request: Request, allowNDJSON: Bool = false) throws -> Format {
        let essence = (request.headers[.contentType] ?? "").split(separator: ";").first ?? ""
        let mediaType = String(essence.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()).lowercased()
        if mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) {
            return .json
        }
        if allowNDJSON, mediaType == "application/x-ndjson" || mediaType == "application/ndjson" {
            return .ndjson
        }
        throw VigilError.unsupportedMediaType(
            allowNDJSON ? "Send Content-Type: application/json or application/x-ndjson." : "Send Content-Type: application/json."
        )
    }

    /// The whole body, or 413 once more than `limit` bytes have arrived.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw VigilError.payloadTooLarge(limit: limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw VigilError.payloadTooLarge(limit: limit)
        }
    }

    /// Parses JSON text into a `JSONValue`; malformed input becomes a 400 naming no internals.
    static func decodeJSON(_ buffer: ByteBuffer, context: String = "The request body") throws -> JSONValue {
        guard buffer.readableBytes > 0 else { throw VigilError.malformedJSON("\(context) is empty.") }
        do {
            return try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw VigilError.malformedJSON("\(context) is not valid JSON: \(error.message) at byte \(error.offset).")
        }
    }

    /// Decodes a JSON object body of at most `limit` bytes and checks that it has only `allowed` members.
    static func object(_ request: Request, allowed: Set<String>, limit: Int = defaultLimit) async throws -> FieldReader {
        _ = try self.format(of: request)
        let value = try self.decodeJSON(try await self.collect(request, limit: limit))
        guard case .object(let fields) = value else {
            throw VigilError.validation([FieldError(field: "", message: "must be a JSON object, got \(value.typeName)")])
        }
        let unknown = fields.keys.filter { !allowed.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw VigilError.validation(unknown.map { FieldError(field: $0, message: "unknown field") })
        }
        return FieldReader(fields: fields)
    }
}

extension FieldReader {
    /// A required string member; records an error when missing.
    mutating func required(_ name: String, maxLength: Int = 4096) -> String {
        if let value = self.string(name, maxLength: maxLength) { return value }
        if self.fields[name] == nil || self.fields[name] == .null { self.fail(name, "is required") }
        return ""
    }

    /// Throws a 400 listing every recorded error, if any.
    func throwIfInvalid(_ extra: [FieldError] = []) throws {
        let all = self.errors + extra
        if !all.isEmpty { throw VigilError.validation(all) }
    }
}
