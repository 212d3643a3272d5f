/// PostgreSQL could not be reached when opening the store; `reason` is what a direct
/// connection attempt reported (no secrets: the server's message or the socket error).
public struct PostgresUnreachable: Error, CustomStringConvertible {
    public let location: PostgresLocation
    public let reason: String

    public var description: String { "Cannot connect to PostgreSQL at \(self.location): \(self.reason)." }
}
