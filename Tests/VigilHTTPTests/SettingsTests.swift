import Foundation
import Logging
import Synchronization
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
            #expect(row[1] == setting.name, "\(setting.variable)")
            #expect(row[2] == (setting.flag.map { "--\($0)" } ?? "—"), "\(setting.variable)")
            #expect(row[3].hasPrefix(setting.defaultText.components(separatedBy: ",")[0]), "\(setting.variable): \(row[3])")
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
            (Settings.syslogUDP, "514"), (Settings.syslogTCP, "host:70000"), (Settings.gelfUDP, "a b:1"),
            (Settings.syslogTLSCert, "/no/such/file.pem"), (Settings.logSourceNetworks, "10.0.0.0/33"),
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

    @Test func listenersAreOffUntilGivenAndTLSNeedsItsFiles() throws {
        var configuration = AppConfiguration()
        #expect(try configuration.logSources.listeners().isEmpty)
        try Settings.syslogUDP.apply(":5514", environment: [:], to: &configuration)
        try Settings.gelfTCP.apply("[::1]:12201", environment: [:], to: &configuration)
        let listeners = try configuration.logSources.listeners()
        #expect(listeners.map(\.name) == ["syslog-udp", "gelf-tcp"])
        #expect(listeners.map(\.host) == ["0.0.0.0", "::1"] && listeners.map(\.port) == [5514, 12201])
        try Settings.syslogTLS.apply("127.0.0.1:6514", environment: [:], to: &configuration)
        #expect(throws: StartupError.self) { try configuration.logSources.listeners() }
    }

    static func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-settings-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func flagThenEnvironmentThenFileThenDefault() async throws {
        let path = try Self.temporaryFile("port: 7001\nhost: 0.0.0.0\nbcrypt-cost: 13\ntrusted-proxies:\n  - 10.0.0.0/8\n  - 192.0.2.0/24\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try await ConfigFile.load(path)
        var configuration = AppConfiguration()
        try Settings.apply(
            [
                (Settings.port, "7003"), (Settings.host, nil), (Settings.bcryptCost, nil), (Settings.trustedProxies, nil),
                (Settings.registration, nil),
            ],
            environment: ["VIGIL_PORT": "7002", "VIGIL_BCRYPT_COST": "14"],
            file: file,
            to: &configuration
        )
        #expect(configuration.port == 7003)
        #expect(configuration.bcryptCost == 14)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.trustedProxies.count == 2)
        #expect(configuration.registration == AppConfiguration().registration)
    }

    @Test func configFileMistakesStopTheStart() async throws {
        for text in ["prot: 8080\n", "port:\n  nested: 1\n", "- port\n", "port: [8080, {a: 1}]\n"] {
            let path = try Self.temporaryFile(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            await #expect(throws: StartupError.self, "\(text)") { _ = try await ConfigFile.load(path) }
        }
        let path = try Self.temporaryFile("port: 99999\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = AppConfiguration()
        let file = try await ConfigFile.load(path)
        #expect(throws: StartupError.self) { try Settings.apply([(Settings.port, nil)], environment: [:], file: file, to: &configuration) }
    }

    @Test func secretsComeFromFiles() throws {
        let path = try Self.temporaryFile("0123456789abcdef0123456789abcdef-from-file\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = AppConfiguration()
        try Settings.jwtSecret.apply(nil, environment: ["VIGIL_JWT_SECRET_FILE": path], to: &configuration)
        #expect(configuration.jwtSecret == "0123456789abcdef0123456789abcdef-from-file")
        #expect(throws: StartupError.self) {
            try Settings.jwtSecret.apply(nil, environment: ["VIGIL_JWT_SECRET_FILE": path, "VIGIL_JWT_SECRET": "x"], to: &configuration)
        }
        #expect(throws: StartupError.self) {
            try Settings.adminPassword.apply(nil, environment: ["VIGIL_ADMIN_PASSWORD_FILE": path + ".missing"], to: &configuration)
        }
        // Only secrets read files: a _FILE variable of another setting is not consulted.
        try Settings.port.apply(nil, environment: ["VIGIL_PORT_FILE": path], to: &configuration)
        #expect(configuration.port == AppConfiguration().port)
    }

    @Test func jsonLogsAreOneObjectPerRecord() throws {
        let lines = Mutex<[String]>([])
        var handler = JSONLogHandler(label: "vigil") { line in lines.withLock { $0.append(line) } }
        handler[metadataKey: "request_id"] = "r-1"
        var logger = Logger(label: "vigil", factory: { _ in handler })
        logger.logLevel = .info
        logger.info("database ready", metadata: ["database": "sqlite", "nested": ["a", "b"]])
        logger.debug("not written")
        let written = lines.withLock { $0 }
        #expect(written.count == 1 && written[0].hasSuffix("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "database ready")
        #expect(object["level"] as? String == "info")
        #expect(object["request_id"] as? String == "r-1")
        #expect(object["database"] as? String == "sqlite")
        #expect(object["nested"] as? [String] == ["a", "b"])
        #expect((object["time"] as? String).flatMap(Timestamp.init(rfc3339:)) != nil)
    }
}
