/// Every failure the domain reports to a client. Each case maps to one HTTP status and one stable
/// machine-readable `code` at the HTTP edge; messages never contain internals.
public enum VigilError: Error, Sendable, Equatable {
    /// Input failed validation; `errors` names each bad field.
    case validation([FieldError])
    /// Body is not valid JSON (or NDJSON line `line` is not).
    case malformedJSON(String)
    /// Body larger than the route allows.
    case payloadTooLarge(limit: Int)
    case unsupportedMediaType(String)
    /// Credentials missing, invalid or expired.
    case unauthenticated(String)
    /// Authenticated, but not allowed.
    case forbidden(String)
    case notFound(String)
    /// A resource with the same unique key exists or a client id was reused with other content.
    case conflict(code: String, detail: String, errors: [FieldError] = [])
    /// Registration disabled by configuration.
    case registrationClosed
    /// Too many attempts (login throttling, ingest rate limit); retry after `retryAfter` seconds.
    case tooManyRequests(retryAfter: Int, detail: String)
    /// Too much queued work; the client should retry after `retryAfter` seconds.
    case overloaded(retryAfter: Int)
    /// The database cannot be reached or is shutting down.
    case unavailable(retryAfter: Int)
    /// Input that passed validation but that the engine refused as data (never expected: the
    /// validation is meant to accept only what every engine stores). Nothing was written.
    case unprocessable(String)
}

extension VigilError {
    /// A username already in use (compared case-insensitively).
    public static let usernameTaken = VigilError.conflict(code: "username_taken", detail: "That username is taken.")
}
