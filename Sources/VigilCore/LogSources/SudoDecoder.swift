import Foundation

/// sudo's log line: `USER : [REASON ; ]TTY=… ; PWD=… ; USER=TARGET ; COMMAND=…` → `privilege.sudo`,
/// a success when there is no reason (`3 incorrect password attempts`, `user NOT in sudoers`),
/// else a failure.
enum SudoDecoder {
    static func decode(_ message: String) -> LogDecoding? {
        guard let separator = message.range(of: " : ") else { return nil }
        let user = message[..<separator.lowerBound].trimmingCharacters(in: .whitespaces)
        guard !user.isEmpty, !user.contains(" ") else { return nil }
        var fields: [String: String] = [:]
        var reasons: [String] = []
        for part in message[separator.upperBound...].components(separatedBy: " ; ") {
            let part = part.trimmingCharacters(in: .whitespaces)
            if let equals = part.firstIndex(of: "="), part[..<equals].allSatisfy({ $0.isUppercase || $0 == "_" }), part.first != "=" {
                fields[String(part[..<equals])] = String(part[part.index(after: equals)...])
            } else if !part.isEmpty {
                reasons.append(part)
            }
        }
        guard let command = fields["COMMAND"] else { return nil }
        var details: [String: JSONValue] = ["user.name": .string(user), "process.command_line": .string(command)]
        if let target = fields["USER"] { details["user.target.name"] = .string(target) }
        if let tty = fields["TTY"] { details["process.tty.name"] = .string(tty) }
        if let directory = fields["PWD"] { details["process.working_directory"] = .string(directory) }
        if !reasons.isEmpty { details["event.reason"] = .string(reasons.joined(separator: "; ")) }
        return LogDecoding(type: "privilege.sudo", actor: user, outcome: reasons.isEmpty ? .success : .failure, details: details)
    }
}
