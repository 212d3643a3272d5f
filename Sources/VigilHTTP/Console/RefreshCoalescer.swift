import Foundation
import VigilCore

/// Browsers send requests in parallel (a page and its live update), and when the access cookie
/// has just expired each carries the same refresh cookie. Rotating it twice would look exactly
/// like a stolen token being replayed, revoking the session. So on this node one rotation per
/// refresh token runs, and requests that present the same token within `window` seconds share
/// its result. Only the token's hash is kept, for at most `window` seconds.
actor RefreshCoalescer {
    private var recent: [String: (task: Task<SessionTokens.Issued, any Error>, at: Timestamp)] = [:]
    private let window: Int64
    /// Past this many tokens in one window (a flood of made-up refresh cookies), rotations are
    /// no longer remembered: memory stays bounded and every rotation still runs.
    private let capacity: Int

    init(windowSeconds: Int64 = 10, capacity: Int = 10_000) {
        self.window = windowSeconds
        self.capacity = capacity
    }

    func rotate(_ secret: String, using rotation: @escaping @Sendable () async throws -> SessionTokens.Issued) async throws -> SessionTokens.Issued {
        let now = Timestamp.now()
        self.recent = self.recent.filter { now.microseconds - $0.value.at.microseconds < self.window * 1_000_000 }
        let key = TokenService.hash(secret)
        if let running = self.recent[key] { return try await running.task.value }
        let task = Task { try await rotation() }
        if self.recent.count < self.capacity { self.recent[key] = (task, now) }
        return try await task.value
    }
}
