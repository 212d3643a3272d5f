/// Where the SQLite database lives, parsed from `VIGIL_DATABASE_URL`.
public enum SQLiteLocation: Sendable, Equatable {
    case memory
    case file(path: String)

    /// Accepts `sqlite::memory:`, `sqlite:///abs/path.sqlite`, `sqlite://relative.sqlite` and
    /// `sqlite:path`. Returns nil for other schemes.
    public init?(url: String) {
        guard url.hasPrefix("sqlite:") else { return nil }
        let rest = String(url.dropFirst("sqlite:".count))
        if rest == ":memory:" || rest == "//:memory:" {
            self = .memory
            return
        }
        let path = rest.hasPrefix("//") ? String(rest.dropFirst(2)) : rest
        guard !path.isEmpty, !path.contains("\0") else { return nil }
        self = .file(path: path)
    }
}
