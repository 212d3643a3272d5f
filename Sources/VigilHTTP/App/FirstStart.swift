import Foundation
import Logging
import VigilCore

/// What a database needs before the first request: the token-signing secret, the first admin
/// and the built-in rules. Each step is idempotent, so every start (and every node) runs it.
enum FirstStart {
    struct Prepared {
        let jwtSecret: [UInt8]
    }

    static func prepare(configuration: AppConfiguration, storage: any StorageEngine, hasher: PasswordHasher, logger: Logger) async throws -> Prepared
    {
        let secret = try await Self.jwtSecret(configuration: configuration, settings: storage)
        try await Self.createFirstAdmin(configuration: configuration, users: storage, hasher: hasher, logger: logger)
        if try await storage.installRulesOnce(Rule.builtIn(now: .now())) {
            logger.notice("installed the built-in detection rules")
        }
        return Prepared(jwtSecret: secret)
    }

    /// The configured secret, or the one generated on first start and kept in the database (so
    /// tokens survive restarts and every node of a cluster agrees).
    static func jwtSecret(configuration: AppConfiguration, settings: any SettingsStore) async throws -> [UInt8] {
        if let configured = configuration.jwtSecret {
            guard configured.utf8.count >= 32 else { throw StartupError("VIGIL_JWT_SECRET must be at least 32 bytes long.") }
            return Array(configured.utf8)
        }
        let stored = try await settings.setting("jwt_secret") {
            var generator = SystemRandomNumberGenerator()
            return Data((0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
        }
        guard let bytes = Data(base64Encoded: stored), bytes.count >= 32 else {
            throw StartupError("The stored JWT secret is damaged; set VIGIL_JWT_SECRET or remove the jwt_secret setting.")
        }
        return Array(bytes)
    }

    /// On a database without users, creates `admin` with the configured password or a random one
    /// printed once to stderr.
    static func createFirstAdmin(configuration: AppConfiguration, users: any UserStore, hasher: PasswordHasher, logger: Logger) async throws {
        guard try await users.users().isEmpty else { return }
        let generated = configuration.adminPassword == nil
        let password = configuration.adminPassword ?? Self.randomPassword()
        if let problem = Credentials.validate(username: "admin", password: password).first {
            throw StartupError("VIGIL_ADMIN_PASSWORD \(problem.message).")
        }
        let now = Timestamp.now()
        let admin = User(
            id: UUID.v7(at: now),
            username: "admin",
            passwordHash: try await hasher.hash(password),
            role: .admin,
            createdAt: now,
            updatedAt: now
        )
        guard try await users.createFirstUser(admin) else { return }
        logger.notice("created the first user 'admin'")
        if generated {
            FileHandle.standardError.write(Data("Vigil: created user 'admin' with password \(password) (shown once; change it).\n".utf8))
        }
    }

    static func randomPassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
