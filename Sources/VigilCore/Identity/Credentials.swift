/// Rules for usernames and passwords, shared by registration, the CLI and user management.
public enum Credentials {
    public static let usernameLengths = 3...64
    public static let passwordLengths = 10...256

    public static func validate(username: String, password: String) -> [FieldError] {
        var errors: [FieldError] = []
        let usernameOK =
            usernameLengths.contains(username.utf8.count)
            && username.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
                    UInt8(ascii: "@"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
        if !usernameOK {
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
