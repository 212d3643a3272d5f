import Foundation
import VigilCore

extension Setting {
    /// An integer within `range`.
    static func integer<T: FixedWidthInteger & Sendable>(
        _ name: String,
        _ summary: String,
        _ keyPath: any WritableKeyPath<AppConfiguration, T> & Sendable,
        _ range: ClosedRange<T>,
        default defaultText: String? = nil
    ) -> Setting {
        let variable = Self.variable(name)
        return Setting(name, summary, default: defaultText ?? "\(AppConfiguration()[keyPath: keyPath])") { text, configuration in
            guard let number = T(text), range.contains(number) else {
                throw StartupError("\(variable) must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            configuration[keyPath: keyPath] = number
        }
    }

    /// One of `choices` (case-insensitive); the default is the choice equal to `AppConfiguration()`'s.
    static func choice<T: Equatable & Sendable>(
        _ name: String,
        _ summary: String,
        _ keyPath: any WritableKeyPath<AppConfiguration, T> & Sendable,
        _ choices: KeyValuePairs<String, T>
    ) -> Setting {
        let variable = Self.variable(name)
        let pairs = choices.map { ($0.key, $0.value) }
        let fallback = AppConfiguration()[keyPath: keyPath]
        let names = pairs.map(\.0)
        let expectation = names.count == 2 ? "\(names[0]) or \(names[1])" : "one of \(names.joined(separator: ", "))"
        return Setting(name, summary, default: pairs.first { $0.1 == fallback }?.0 ?? "none") { text, configuration in
            guard let value = pairs.first(where: { $0.0 == text.lowercased() })?.1 else { throw StartupError("\(variable) must be \(expectation)") }
            configuration[keyPath: keyPath] = value
        }
    }

    /// Free text, checked by `validate` (which throws a message ending the sentence
    /// "VIGIL_… must …").
    static func text(
        _ name: String,
        flag: Bool = true,
        _ summary: String,
        default defaultText: String,
        secret: Bool = false,
        _ assign: @escaping @Sendable (String, inout AppConfiguration) throws -> Void
    ) -> Setting {
        Setting(name, flag: flag, summary, default: defaultText, secret: secret, parse: assign)
    }

    /// A comma-separated list (spaces ignored, empty items dropped).
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
    }

    static func variable(_ name: String) -> String {
        "VIGIL_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
    }
}
