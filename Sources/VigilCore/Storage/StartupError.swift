/// A configuration or environment problem that stops Vigil from starting; `message` is meant
/// for the operator.
public struct StartupError: Error, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { self.message }
}
