/// The result of presenting a refresh token.
public enum RefreshRotation: Sendable, Equatable {
    /// The token was current; it is now retired and its successor is stored in its place.
    case rotated(old: RefreshTokenRecord)
    /// No such token, or it expired, or its family was revoked.
    case invalid
    /// The token had already been used: the whole family is now revoked.
    case reused(RefreshTokenRecord)
}

extension RefreshRotation {
    /// What to do with a presented token, decided from its stored state alone; both engines
    /// read the row (locked) and then do what this says.
    public enum Decision: Sendable, Equatable {
        /// Answer `.invalid` and change nothing.
        case invalid
        /// A retired token came back: revoke its whole family and answer `.reused`.
        case revokeFamily
        /// Mark it used and store its successor: `.rotated`.
        case rotate
    }

    /// A revoked or expired token is invalid (revocation wins over reuse: a family already
    /// revoked has nothing left to protect); a used one is a replay; otherwise it rotates.
    public static func decide(expiresAt: Timestamp, used: Bool, revoked: Bool, now: Timestamp) -> Decision {
        if revoked || expiresAt <= now { return .invalid }
        return used ? .revokeFamily : .rotate
    }
}
