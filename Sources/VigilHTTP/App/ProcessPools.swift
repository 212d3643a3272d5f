import AsyncHTTPClient
import NIOPosix

/// Threads and connections the process owns besides the database: the bcrypt thread pool
/// (password checks never run on the cooperative pool) and the HTTP client for notifications
/// (redirects refused: a receiver must not bounce a signed notification elsewhere).
struct ProcessPools: Sendable {
    let bcrypt: NIOThreadPool
    let http: HTTPClient

    init() {
        self.bcrypt = NIOThreadPool(numberOfThreads: 2)
        self.bcrypt.start()
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(redirectConfiguration: .disallow))
    }

    /// Stops both; called once, after the database has closed.
    func shutdown() async {
        try? await self.bcrypt.shutdownGracefully()
        try? await self.http.shutdown()
    }
}
