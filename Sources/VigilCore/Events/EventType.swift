/// Rules for event type names (`AccountCreated`, `auth.login.failed`).
public enum EventType {
    public static func isValid(_ type: String) -> Bool {
        ASCIIName.isValid(type, lengths: 1...128, extra: "_.:-")
    }
}
