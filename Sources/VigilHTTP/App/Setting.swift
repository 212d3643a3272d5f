import Foundation
import VigilCore

/// One operator setting, written once: `--name` on the command line, `VIGIL_NAME` in the
/// environment, what it means, the values it accepts and how it lands in `AppConfiguration`.
/// Its default is `AppConfiguration()`'s, so the help, the parser and the README (checked by a
/// test) cannot disagree.
public struct Setting: Sendable {
    /// The flag without dashes (`database-url`); nil for settings only the environment may give
    /// (secrets that must not show in `ps`).
    public let flag: String?
    /// `VIGIL_DATABASE_URL`.
    public let variable: String
    public let summary: String
    /// The default as help and the README show it.
    public let defaultText: String
    let parse: @Sendable (String, inout AppConfiguration) throws -> Void

    init(
        _ name: String,
        flag: Bool = true,
        _ summary: String,
        default defaultText: String,
        parse: @escaping @Sendable (String, inout AppConfiguration) throws -> Void
    ) {
        self.flag = flag ? name : nil
        self.variable = Self.variable(name)
        self.summary = summary
        self.defaultText = defaultText
        self.parse = parse
    }

    /// `summary (env VIGIL_…; default …).`, for `--help`.
    public var help: String { "\(self.summary) (env \(self.variable); default \(self.defaultText))." }

    /// Applies `flagValue`, else the environment's value (set and not empty); with neither the
    /// default stays. Throws `StartupError` naming the variable for a value it does not accept.
    public func apply(_ flagValue: String?, environment: [String: String], to configuration: inout AppConfiguration) throws {
        let text = flagValue ?? environment[self.variable].flatMap { $0.isEmpty ? nil : $0 }
        guard let text else { return }
        try self.parse(text, &configuration)
    }

}
