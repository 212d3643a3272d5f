import PostgresNIO
import VigilCore

/// Classifies errors from PostgresNIO: losing the database (connection refused or dropped,
/// server shutting down, too many connections, our own deadline) becomes
/// `VigilError.unavailable`, which the HTTP edge turns into 503 + `Retry-After`. Anything else
/// (a constraint or SQL error) is passed on unchanged and stays an opaque 500.
enum PostgresFailure {
    /// Seconds a client is asked to wait after the database was unreachable.
    static let retryAfterSeconds = 2

    static func map(_ error: any Error) -> any Error {
        if error is VigilError || error is CancellationError || error is PostgresDecodingError { return error }
        if error is DeadlineExceeded { return VigilError.unavailable(retryAfter: retryAfterSeconds) }
        if let error = error as? PostgresTransactionError {
            // The closure's own error (a conflict, say) is the answer; BEGIN or COMMIT failing is
            // about the connection.
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return self.map(inner) }
            return VigilError.unavailable(retryAfter: retryAfterSeconds)
        }
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                // 08: connection exception; 57P0x: shutdown / cannot connect now; 53300: too many connections.
                if state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300" {
                    return VigilError.unavailable(retryAfter: retryAfterSeconds)
                }
                return error
            case .queryCancelled, .tooManyParameters, .invalidCommandTag, .messageDecodingFailure, .unexpectedBackendMessage:
                return error
            default:
                // Connection-level failures: refused, closed, unclean shutdown, pool closed, TLS.
                return VigilError.unavailable(retryAfter: retryAfterSeconds)
            }
        }
        // NIO socket errors (connection refused while the pool reconnects) and timeouts.
        return VigilError.unavailable(retryAfter: retryAfterSeconds)
    }

    /// Whether `error` shows the database cannot be reached (refused, reset, shutting down), as
    /// opposed to one slow statement running past its deadline.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        if error is DeadlineExceeded { return false }
        if let error = error as? PostgresTransactionError, let inner = error.closureError ?? error.beginError ?? error.commitError {
            return self.isConnectionLoss(inner)
        }
        if case VigilError.unavailable = self.map(error) { return !(error is VigilError) }
        return false
    }

    /// The SQLSTATE of a server error, if `error` is one.
    static func sqlState(_ error: any Error) -> String? {
        guard let error = error as? PSQLError, error.code == .server else { return nil }
        return error.serverInfo?[.sqlState]
    }
}
