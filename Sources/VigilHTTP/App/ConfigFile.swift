import Configuration
import Foundation
import SystemPackage
import VigilCore
import Yams

/// `vigil … --config FILE`: a flat YAML (or JSON, a subset of YAML) mapping of setting names to
/// values, the same names as the flags (`database-url: sqlite:///var/lib/vigil/vigil.sqlite`).
/// Lists may be YAML sequences or comma-separated text. Read by swift-configuration; a key that
/// names no setting, or a value that is a mapping, is refused, so a typo never passes silently.
public enum ConfigFile {
    /// The file's values by setting name.
    public static func load(_ path: String, settings: [Setting] = Settings.all) async throws -> [String: String] {
        let known = Dictionary(uniqueKeysWithValues: settings.map { ($0.name, $0) })
        try Self.checkKeys(path, known: Set(known.keys))
        let reader: ConfigReader
        do {
            reader = ConfigReader(provider: try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
        } catch {
            throw StartupError("config file \(path): \(error)")
        }
        var values: [String: String] = [:]
        for (name, setting) in known {
            let key = ConfigKey([name])
            if let text = reader.string(forKey: key, isSecret: setting.secret) {
                values[name] = text
            } else if let items = reader.stringArray(forKey: key, isSecret: setting.secret) {
                values[name] = items.joined(separator: ",")
            }
        }
        return values
    }

    /// Every top-level key names a setting and holds a scalar or a list of scalars.
    static func checkKeys(_ path: String, known: Set<String>) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw StartupError("config file \(path): cannot read it")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw StartupError("config file \(path): not YAML: \(error)")
        }
        guard let node else { return }
        guard let mapping = node.mapping else { throw StartupError("config file \(path): must be a mapping of setting names to values") }
        for (key, value) in mapping {
            guard let name = key.string, known.contains(name) else {
                throw StartupError("config file \(path): '\(key.string ?? "?")' is not a setting (see vigil serve --help)")
            }
            if value.mapping != nil || (value.sequence?.contains { $0.scalar == nil } ?? false) {
                throw StartupError("config file \(path): '\(name)' must be a value or a list of values")
            }
        }
    }
}
