/// Whether the action an event describes succeeded.
public enum Outcome: String, Sendable, CaseIterable, Codable {
    case success, failure, unknown

    /// Case-insensitive parse.
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }
}
