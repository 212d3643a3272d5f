/// A stored row that does not decode into a domain value (never expected): a 500, not an
/// outage. Both engines throw it; neither skips such a row, so a list never silently omits one.
public struct CorruptRow: Error, Sendable {
    public let table: String

    public init(table: String) {
        self.table = table
    }
}

extension Sequence {
    /// Every element decoded by `decode`; throws `CorruptRow` for the first that does not decode.
    public func decodeAll<T>(table: String, _ decode: (Element) throws -> T?) throws -> [T] {
        try self.map { element in
            guard let value = try decode(element) else { throw CorruptRow(table: table) }
            return value
        }
    }
}
