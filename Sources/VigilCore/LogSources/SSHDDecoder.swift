import Foundation

/// OpenSSH's authentication lines:
/// - `Failed password for [invalid user ]NAME from ADDRESS port N ssh2` → `auth.login.failed`
/// - `Accepted password|publickey|… for NAME from ADDRESS port N ssh2[: KEY]` → `auth.login.succeeded`
/// - `Invalid user NAME from ADDRESS port N` → `auth.login.invalid_user`: sshd logs it before
///   the attempt's own `Failed … for invalid user` line, so counting it as a failed login too
///   would count one guess twice.
enum SSHDDecoder {
    static func decode(_ message: String) -> LogDecoding? {
        let words = message.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count >= 4 else { return nil }
        if words[0] == "Failed" || words[0] == "Accepted", words.count >= 6, words[2] == "for" {
            let failed = words[0] == "Failed"
            var nameStart = 3
            var invalidUser = false
            if words.count > 6, words[3] == "invalid", words[4] == "user" {
                nameStart = 5
                invalidUser = true
            }
            guard let (user, address, port) = Self.userAndAddress(words, from: nameStart) else { return nil }
            var details: [String: JSONValue] = [
                "user.name": .string(user), "source.ip": .string(address), "event.action": .string("ssh_login"),
                "ssh.auth_method": .string(words[1]),
            ]
            if let port { details["source.port"] = .int(port) }
            if invalidUser { details["event.reason"] = .string("invalid_user") }
            return LogDecoding(
                type: failed ? AuditEventType.loginFailed.rawValue : "auth.login.succeeded",
                actor: user,
                ip: address,
                outcome: failed ? .failure : .success,
                details: details
            )
        }
        if words[0] == "Invalid", words[1] == "user", let (user, address, port) = Self.userAndAddress(words, from: 2) {
            var details: [String: JSONValue] = ["user.name": .string(user), "source.ip": .string(address), "event.reason": .string("invalid_user")]
            if let port { details["source.port"] = .int(port) }
            return LogDecoding(type: "auth.login.invalid_user", actor: user, ip: address, outcome: .failure, details: details)
        }
        return nil
    }

    /// `NAME… from ADDRESS [port N]` starting at `start`; the name may contain spaces, so the
    /// last `from` followed by an address ends it.
    static func userAndAddress(_ words: [String], from start: Int) -> (String, String, Int64?)? {
        guard start < words.count else { return nil }
        for index in stride(from: words.count - 2, to: start, by: -1) where words[index] == "from" {
            guard let address = IPAddress(words[index + 1]) else { continue }
            var port: Int64?
            if index + 3 < words.count, words[index + 2] == "port" { port = Int64(words[index + 3]) }
            return (words[start..<index].joined(separator: " "), address.text, port)
        }
        return nil
    }
}
