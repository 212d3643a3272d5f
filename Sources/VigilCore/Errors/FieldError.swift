/// One problem with one input field, reported to clients in a problem's `errors` list.
///
/// `field` is a JSON-pointer-like path: `type`, `details`, `[3].severity` for batch item 3,
/// or a query parameter name.
public struct FieldError: Sendable, Hashable, Error {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// The same error for item `index` of a batch.
    public func inItem(_ index: Int) -> FieldError {
        FieldError(field: self.field.isEmpty ? "[\(index)]" : "[\(index)].\(self.field)", message: self.message)
    }
}
