import HTTPTypes
import Hummingbird
import Logging
import VigilCore

/// Turns every thrown error into an `application/problem+json` response. Domain errors map
/// through `Problem.init(_:)`; framework errors keep their status; anything else becomes an
/// opaque 500 whose details go only to the log, tagged with the request id.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as VigilError {
            return Problem(error).response()
        } catch let failure as ValidationFailure {
            return Problem(VigilError.validation(failure.errors)).response()
        } catch let error as HTTPError {
            return Self.problem(for: error.status).response()
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Problem.internalError.response()
        }
    }

    static func problem(for status: HTTPResponse.Status) -> Problem {
        switch status {
        case .contentTooLarge:
            Problem(VigilError.payloadTooLarge(limit: 0)).with(detail: "The request body is too large.")
        case .notFound:
            Problem(status: .notFound, code: "not_found", title: "Not found", detail: "No such route or resource.")
        case .methodNotAllowed:
            Problem(
                status: .methodNotAllowed,
                code: "method_not_allowed",
                title: "Method not allowed",
                detail: "The route does not accept this method."
            )
        case .badRequest:
            Problem(status: .badRequest, code: "bad_request", title: "Bad request", detail: "The request could not be understood.")
        default:
            status.code >= 500
                ? Problem.internalError
                : Problem(status: status, code: "http_\(status.code)", title: status.reasonPhrase, detail: status.reasonPhrase)
        }
    }
}

extension Problem {
    func with(detail: String) -> Problem {
        var copy = self
        copy.detail = detail
        return copy
    }
}
