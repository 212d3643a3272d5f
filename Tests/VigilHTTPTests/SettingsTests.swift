import Foundation
import Testing
import VigilCore

@testable import VigilHTTP

/// The settings table is the one place a setting's flag, variable and default are written; the
/// README's configuration table must say the same.
@Suite struct SettingsTests {
    /// `VIGIL_X` → the README row's cells, from the table under "## Configuration".
    static func readmeRows() throws -> [String: [String]] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        var rows: [String: [String]] = [:]
        for line in try String(contentsOf: readme, encoding: .utf8).split(separator: "\n") where line.hasPrefix("| `VIGIL_") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map {
                $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "")
            }
            rows[cells[0]] = Array(cells)
        }
        return rows
    }

    @Test func everySettingIsDocumentedWithItsFlagAndDefault() throws {
        let rows = try Self.readmeRows()
        let settings = Settings.all
        #expect(Set(settings.map(\.variable)).count == settings.count, "a setting is listed twice")
        #expect(Set(rows.keys) == Set(settings.map(\.variable)))
        for setting in settings {
            guard let row = rows[setting.variable] else { continue }
            #expect(row[1] == (setting.flag.map { "--\($0)" } ?? "—"), "\(setting.variable)")
            #expect(row[2].hasPrefix(setting.defaultText.components(separatedBy: ",")[0]), "\(setting.variable): \(row[2])")
        }
    }

    @Test func valuesAreParsedIntoTheConfiguration() throws {
        var configuration = AppConfiguration()
        try Settings.apply(
            [(Settings.port, "9000"), (Settings.sqliteSynchronous, "NORMAL"), (Settings.trustedProxies, "10.0.0.0/8, 192.0.2.1/32")],
            environment: ["VIGIL_LOGIN_MAX_BACKOFF": "60", "VIGIL_CHANNEL_HOSTS": "hooks.example, ", "VIGIL_PORT": "1"],
            to: &configuration
        )
        #expect(configuration.port == 9000, "the flag wins over the variable")
        #expect(configuration.storage.sqliteSynchronousFull == false)
        #expect(configuration.trustedProxies.count == 2)
        try Settings.apply(
            Settings.all.map { ($0, nil) },
            environment: ["VIGIL_LOGIN_MAX_BACKOFF": "60", "VIGIL_CHANNEL_HOSTS": "hooks.example, "],
            to: &configuration
        )
        #expect(configuration.loginThrottle.maxBackoffSeconds == 60)
        #expect(configuration.channelHosts == ["hooks.example"])
        #expect(configuration.host == AppConfiguration().host, "unset settings keep their default")
    }

    @Test func badValuesNameTheirVariable() {
        for (setting, value) in [
            (Settings.port, "99999"), (Settings.bcryptCost, "4"), (Settings.registration, "maybe"), (Settings.logLevel, "loud"),
            (Settings.allowPrivateTargets, "yes"), (Settings.trustedProxies, "10.0.0.0/99"), (Settings.publicURL, "ftp://x"),
        ] {
            var configuration = AppConfiguration()
            #expect(throws: StartupError.self) { try setting.apply(value, environment: [:], to: &configuration) }
            do {
                try setting.apply(value, environment: [:], to: &configuration)
            } catch let error as StartupError {
                #expect(error.message.contains(setting.variable), "\(error.message)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
