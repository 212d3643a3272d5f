import Logging
import NIOSSL
import PostgresNIO

extension PostgresLocation {
    /// Why the pool cannot connect, for the operator: one connection attempt outside the pool,
    /// whose error names the cause (refused, TLS, "password authentication failed", no such
    /// database). The pool itself only retries, and its retries would read as "no answer".
    func diagnoseConnection(timeout: Duration, logger: Logger) async -> String {
        do {
            var configuration = PostgresConnection.Configuration(
                host: self.host,
                port: self.port,
                username: self.username,
                password: self.password,
                database: self.database,
                tls: .disable
            )
            switch self.sslMode {
            case .disable:
                break
            case .prefer, .require:
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.certificateVerification = .none
                let context = try NIOSSLContext(configuration: tls)
                configuration.tls = self.sslMode == .prefer ? .prefer(context) : .require(context)
            case .verifyFull:
                configuration.tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            let ready = configuration
            let connection = try await Deadline.run(timeout) {
                try await PostgresConnection.connect(
                    on: PostgresClient.defaultEventLoopGroup.any(),
                    configuration: ready,
                    id: 0,
                    logger: logger
                ).get()
            }
            try? await connection.close()
            return "a direct connection succeeded; the pool may just have been slow"
        } catch is DeadlineExceeded {
            return "no answer within \(timeout)"
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return error.underlying.map { String(describing: $0) } ?? "\(error.code)"
        } catch {
            return String(describing: error)
        }
    }
}
