import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt password hashing, run on a dedicated thread pool so the cooperative pool that serves
/// requests never blocks on it.
///
/// Passwords are pre-hashed (SHA-256, base64) before bcrypt: bcrypt silently ignores bytes past
/// 72, so two long passwords sharing a prefix would otherwise be interchangeable.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    let threadPool: NIOThreadPool

    public init(cost: UInt8, threadPool: NIOThreadPool) {
        self.cost = cost
        self.threadPool = threadPool
    }

    public func hash(_ password: String) async throws -> String {
        let input = Self.prehash(password)
        let cost = self.cost
        return try await self.threadPool.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        let input = Self.prehash(password)
        return try await self.threadPool.runIfActive { Bcrypt.verify(input, hash: hash) }
    }

    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Array(password.utf8))).base64EncodedString()
    }
}
