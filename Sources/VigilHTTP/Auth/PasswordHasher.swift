import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization
import VigilCore

/// bcrypt password hashing, run on a dedicated thread pool so the cooperative pool that serves
/// requests never blocks on it.
///
/// Passwords are pre-hashed (SHA-256, base64) before bcrypt: bcrypt silently ignores bytes past
/// 72, so two long passwords sharing a prefix would otherwise be interchangeable.
///
/// At most `maxPending` hashes are queued or running; past that callers get 429 at once, so a
/// flood of logins or registrations cannot queue work (and everyone's logins) without bound.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    let threadPool: NIOThreadPool
    let pending: Pending

    public init(cost: UInt8, threadPool: NIOThreadPool, maxPending: Int = 64) {
        self.cost = cost
        self.threadPool = threadPool
        self.pending = Pending(limit: maxPending)
    }

    public func hash(_ password: String) async throws -> String {
        let input = Self.prehash(password)
        let cost = self.cost
        return try await self.pending.run { try await self.threadPool.runIfActive { Bcrypt.hash(input, cost: cost) } }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        let input = Self.prehash(password)
        return try await self.pending.run { try await self.threadPool.runIfActive { Bcrypt.verify(input, hash: hash) } }
    }

    final class Pending: Sendable {
        let limit: Int
        private let count = Atomic<Int>(0)

        init(limit: Int) {
            self.limit = limit
        }

        func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
            let before = self.count.add(1, ordering: .relaxed).oldValue
            defer { self.count.subtract(1, ordering: .relaxed) }
            guard before < self.limit else {
                throw VigilError.tooManyRequests(retryAfter: 1, detail: "Too many password checks are queued; retry shortly.")
            }
            return try await body()
        }
    }

    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Array(password.utf8))).base64EncodedString()
    }
}
