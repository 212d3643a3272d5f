/// Small persistent server settings (e.g. the generated JWT secret).
public protocol SettingsStore: Sendable {
    /// Returns the stored value for `key`; if none, stores `makeValue()` and returns it.
    /// Atomic: concurrent callers (or nodes) all get the same value.
    func setting(_ key: String, orInsert makeValue: @Sendable () -> String) async throws -> String
}
