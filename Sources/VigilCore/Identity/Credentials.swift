/// Rules for usernames and passwords, shared by registration, the CLI and user management.
public enum Credentials {
    public static let usernameLengths = 3...64
    public static let passwordLengths = 10...256
    /// Names no one may take: the actor of Vigil's own records, and names people may read as a
    /// role or as Vigil itself (compared case-insensitively). Vigil's other principals
    /// (`cli:…`, `apikey:…`, `user:…`) contain `:`, which no username may.
    public static let reservedUsernames: Set<String> = [
        AuditTrail.principal, "root", "system", "administrator", "anonymous", "unknown",
    ]

    /// Longest password accepted in a request body, in UTF-8 bytes (bcrypt sees a SHA-256 of it).
    public static let maxPasswordBytes = 1024

    /// Whether `text` has the form of a username (what login looks up; anything else cannot exist).
    public static func isUsername(_ text: String) -> Bool {
        ASCIIName.isValid(text, lengths: usernameLengths, extra: "_.@-")
    }

    public static func validate(username: String, password: String) -> [FieldError] {
        var errors: [FieldError] = []
        if !self.isUsername(username) {
            errors.append(FieldError(field: "username", message: "must be 3-64 characters of A-Z a-z 0-9 _ . @ -"))
        }
        if !passwordLengths.contains(password.count) {
            errors.append(FieldError(field: "password", message: "must be 10-256 characters"))
        } else if password.lowercased() == username.lowercased() {
            errors.append(FieldError(field: "password", message: "must not equal the username"))
        }
        return errors
    }
}
