import PostgresNIO
import VigilCore

/// Classifies errors met while talking to PostgreSQL, in one place: losing the database
/// (refused, reset, shutting down, too many connections) and running past the deadline become
/// `VigilError.unavailable`, which the HTTP edge turns into 503 + `Retry-After`; anything else
/// (a constraint or SQL error, a row that does not decode) is passed on unchanged and stays an
/// opaque 500.
enum PostgresFailure {
    /// Seconds a client is asked to wait after the database was unreachable.
    static let retryAfterSeconds = 2

    enum Kind {
        /// The database cannot be reached; the outage gate closes.
        case connectionLoss
        /// One statement ran past its deadline; says nothing about the next one.
        case timeout
        /// Not about reachability: the error itself is the answer.
        case other(any Error)
    }

    static func classify(_ error: any Error) -> Kind {
        switch error {
        case is VigilError, is CancellationError, is PostgresDecodingError, is CorruptRow:
            return .other(error)
        case is DeadlineExceeded:
            return .timeout
        case let error as PostgresTransactionError:
            // The closure's own error (a conflict, say) is the answer; BEGIN or COMMIT failing
            // is about the connection.
            return (error.closureError ?? error.beginError ?? error.commitError).map(self.classify) ?? .connectionLoss
        case let error as PSQLError:
            switch error.code {
            case .server:
                let state = error.serverInfo?[.sqlState] ?? ""
                // 08: connection exception; 57P0x: shutdown / cannot connect now; 53300: too many connections.
                return state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300" ? .connectionLoss : .other(error)
            case .queryCancelled, .tooManyParameters, .invalidCommandTag, .messageDecodingFailure, .unexpectedBackendMessage:
                return .other(error)
            default:
                // Refused, closed, unclean shutdown, pool closed, TLS.
                return .connectionLoss
            }
        default:
            // What remains comes from the transport and the pool (NIO socket errors, the pool's
            // circuit breaker while it reconnects): the database is out of reach.
            return .connectionLoss
        }
    }

    /// The error to throw to callers. A data exception (SQLSTATE class 22) or a program limit
    /// (class 54, "word is too long") is the input's doing: `unprocessable`, a 4xx.
    static func map(_ error: any Error) -> any Error {
        switch self.classify(error) {
        case .connectionLoss, .timeout:
            return VigilError.unavailable(retryAfter: retryAfterSeconds)
        case .other(let error):
            let inner = (error as? PostgresTransactionError).flatMap { $0.closureError } ?? error
            if let state = self.sqlState(inner), state.hasPrefix("22") || state.hasPrefix("54") {
                return VigilError.unprocessable("The database refused a value of this request (SQLSTATE \(state)).")
            }
            return error
        }
    }

    /// The SQLSTATE of a server error, if `error` is one.
    static func sqlState(_ error: any Error) -> String? {
        guard let error = error as? PSQLError, error.code == .server else { return nil }
        return error.serverInfo?[.sqlState]
    }
}
