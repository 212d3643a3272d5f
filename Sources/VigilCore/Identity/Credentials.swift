/// Rules for usernames and passwords, shared by registration, the CLI and user management.
public enum Credentials {
    public static let usernameLengths = 3...64
    public static let passwordLengths = 10...256

    public static func validate(username: String, password: String) -> [FieldError] {
        var errors: [FieldError] = []
        if !ASCIIName.isValid(username, lengths: usernameLengths, extra: "_.@-") {
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
