/// Why an SMTP conversation failed, as a fixed phrase for the deliveries list (never the
/// server's own text or a library error's description).
enum SMTPFailure: Error, Equatable {
    case timeout
    case connectionFailed
    case tlsFailed
    case closed
    case malformedReply
    /// `security: starttls` but the server does not offer STARTTLS (Vigil does not fall back
    /// to plain text).
    case noStartTLS
    /// Credentials are configured but the server offers no AUTH mechanism Vigil speaks.
    case noAuth
    /// The server answered `code` to `command`.
    case rejected(code: Int, command: String)
    /// Bytes arrived after the 220 to STARTTLS and before TLS started.
    case plaintextAfterStartTLS
    /// The destination policy refused the server's address.
    case destination(DestinationPolicy.Refusal)

    var phrase: String {
        switch self {
        case .timeout: "timeout"
        case .connectionFailed: "connection failed"
        case .tlsFailed: "TLS handshake failed"
        case .closed: "connection closed by the server"
        case .malformedReply: "malformed SMTP reply"
        case .noStartTLS: "the server does not offer STARTTLS"
        case .noAuth: "the server offers no AUTH PLAIN or LOGIN"
        case .rejected(let code, let command): "SMTP \(code) after \(command)"
        case .plaintextAfterStartTLS: "the server sent data before TLS started"
        case .destination(let refusal): DestinationPolicy.phrase(refusal)
        }
    }

    var code: Int? {
        if case .rejected(let code, _) = self { return code }
        return nil
    }
}
