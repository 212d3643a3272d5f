/// Vigil refused a request, or could not be reached. `code` is Vigil's stable problem code
/// (`validation_failed`, `id_conflict`, `unauthenticated`, …) or `connection_failed` when no
/// answer came; `errors` names each invalid field of a validation answer.
public struct VigilClientError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct FieldError: Sendable, Hashable, Decodable {
        public var field: String
        public var message: String
    }

    /// The HTTP status; nil when no answer came.
    public var status: Int?
    public var code: String
    public var detail: String
    public var errors: [FieldError]
    /// Seconds Vigil asked to wait (429, 503).
    public var retryAfter: Double?

    public init(status: Int?, code: String, detail: String, errors: [FieldError] = [], retryAfter: Double? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.retryAfter = retryAfter
    }

    /// Whether the same request may succeed later unchanged: no answer, 429 or 5xx.
    public var isRetryable: Bool {
        guard let status else { return true }
        return status == 429 || status >= 500
    }

    /// Whether the answer is about the data sent, so resending it unchanged can never succeed.
    var isAboutTheData: Bool {
        [400, 409, 413, 415, 422].contains(self.status ?? 0)
    }

    public var description: String {
        "Vigil answered \(self.status.map(String.init) ?? "nothing") (\(self.code)): \(self.detail)"
    }

    static func connectionFailed(_ error: any Error) -> VigilClientError {
        VigilClientError(status: nil, code: "connection_failed", detail: "could not reach Vigil: \(error)")
    }
}
