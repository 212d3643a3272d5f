import Foundation
import VigilCore

/// One operator setting, written once: `--name` on the command line, `VIGIL_NAME` in the
/// environment, what it means, the values it accepts and how it lands in `AppConfiguration`.
/// Its default is `AppConfiguration()`'s, so the help, the parser and the README (checked by a
/// test) cannot disagree.
public struct Setting: Sendable {
    /// `database-url`: the config file's key, and the flag unless `flag` is nil.
    public let name: String
    /// The flag without dashes (`database-url`); nil for settings only the environment may give
    /// (secrets that must not show in `ps`).
    public let flag: String?
    /// `VIGIL_DATABASE_URL`.
    public let variable: String
    public let summary: String
    /// The default as help and the README show it.
    public let defaultText: String
    /// A secret: may also come from the file `VIGIL_…_FILE` names (Docker secrets, systemd
    /// credentials), so it need not sit in the environment.
    public let secret: Bool
    let parse: @Sendable (String, inout AppConfiguration) throws -> Void

    init(
        _ name: String,
        flag: Bool = true,
        _ summary: String,
        default defaultText: String,
        secret: Bool = false,
        parse: @escaping @Sendable (String, inout AppConfiguration) throws -> Void
    ) {
        self.name = name
        self.flag = flag ? name : nil
        self.secret = secret
        self.variable = Self.variable(name)
        self.summary = summary
        self.defaultText = defaultText
        self.parse = parse
    }

    /// `summary (env VIGIL_…; default …).`, for `--help`.
    public var help: String { "\(self.summary) (env \(self.variable); default \(self.defaultText))." }

    /// Applies the first of: `flagValue`, the environment's value (set and not empty; for a
    /// secret also the contents of the file `VIGIL_…_FILE` names), the config file's value; with
    /// none the default stays. Throws `StartupError` naming the variable for a value it does not
    /// accept.
    public func apply(
        _ flagValue: String?,
        environment: [String: String],
        file: [String: String] = [:],
        to configuration: inout AppConfiguration
    ) throws {
        guard let text = try flagValue ?? self.environmentValue(environment) ?? file[self.name] else { return }
        try self.parse(text, &configuration)
    }

    func environmentValue(_ environment: [String: String]) throws -> String? {
        let direct = environment[self.variable].flatMap { $0.isEmpty ? nil : $0 }
        guard self.secret, let path = environment[self.variable + "_FILE"], !path.isEmpty else { return direct }
        guard direct == nil else { throw StartupError("set \(self.variable) or \(self.variable)_FILE, not both") }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw StartupError("\(self.variable)_FILE: cannot read \(path)")
        }
        // A secrets file usually ends with a newline that is not part of the secret.
        let value = text.trimmingCharacters(in: .newlines)
        guard !value.isEmpty else { throw StartupError("\(self.variable)_FILE: \(path) is empty") }
        return value
    }
}
