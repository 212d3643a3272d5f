/// Reads typed members from a JSON object, recording a field error for each wrong type.
public struct FieldReader {
    public let fields: [String: JSONValue]
    public private(set) var errors: [FieldError] = []

    public init(fields: [String: JSONValue]) {
        self.fields = fields
    }

    /// No text Vigil stores may contain U+0000: PostgreSQL cannot hold it in `text` or `jsonb`,
    /// and every engine must accept exactly the same input.
    public static let nulMessage = "must not contain NUL (U+0000) characters"

    public mutating func fail(_ field: String, _ message: String) {
        self.errors.append(FieldError(field: field, message: message))
    }

    /// The member as a string; nil when absent or null, or (with an error) when not a string or
    /// longer than `maxLength` UTF-8 bytes.
    public mutating func string(_ name: String, maxLength: Int? = nil) -> String? {
        switch self.fields[name] {
        case .none, .some(.null):
            return nil
        case .some(.string(let text)):
            if text.utf8.contains(0) {
                self.fail(name, Self.nulMessage)
                return nil
            }
            if let maxLength, text.utf8.count > maxLength {
                self.fail(name, "must be at most \(maxLength) bytes of UTF-8")
                return nil
            }
            return text
        case .some(let other):
            self.fail(name, "must be a string, got \(other.typeName)")
            return nil
        }
    }
}
