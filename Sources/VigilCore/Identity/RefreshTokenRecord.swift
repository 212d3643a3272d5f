import Foundation

/// A refresh token as stored: only the SHA-256 of the secret is kept.
public struct RefreshTokenRecord: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID
    /// All tokens descended from one login share a family; reuse of a retired one revokes it.
    public var familyID: UUID
    public var tokenHash: String
    public var createdAt: Timestamp
    public var expiresAt: Timestamp

    public init(id: UUID, userID: UUID, familyID: UUID, tokenHash: String, createdAt: Timestamp, expiresAt: Timestamp) {
        self.id = id
        self.userID = userID
        self.familyID = familyID
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// What a rotation stores in place of a retired token; user and family are inherited.
    public struct Successor: Sendable, Equatable {
        public var id: UUID
        public var tokenHash: String
        public var expiresAt: Timestamp

        public init(id: UUID, tokenHash: String, expiresAt: Timestamp) {
            self.id = id
            self.tokenHash = tokenHash
            self.expiresAt = expiresAt
        }
    }

    /// The stored form of a newly issued token of `familyID`.
    public init(_ issued: Successor, userID: UUID, familyID: UUID, createdAt: Timestamp) {
        self.init(
            id: issued.id,
            userID: userID,
            familyID: familyID,
            tokenHash: issued.tokenHash,
            createdAt: createdAt,
            expiresAt: issued.expiresAt
        )
    }

    /// The record that replaces this one when rotated at `now`.
    public func succeeded(by successor: Successor, now: Timestamp) -> RefreshTokenRecord {
        RefreshTokenRecord(successor, userID: self.userID, familyID: self.familyID, createdAt: now)
    }
}
