import PostgresNIO

/// Bind parameters built beside the SQL that names them (`"x = \(bind(value))"`).
///
/// Appending a value can fail only for a value no query should carry. Such a failure is kept
/// and thrown by `checked()`, and the slot is filled with NULL meanwhile, so a statement never
/// runs at all rather than running with every later `$n` shifted by one.
struct BindList {
    private var bindings = PostgresBindings()
    private var failure: (any Error)?

    /// Appends `value`; returns its placeholder.
    mutating func callAsFunction(_ value: some PostgresEncodable) -> String {
        do {
            try self.bindings.append(value, context: .default)
        } catch {
            self.failure = self.failure ?? error
            self.bindings.appendNull()
        }
        return "$\(self.bindings.count)"
    }

    var count: Int { self.bindings.count }

    /// The bindings, or the first append's error.
    func checked() throws -> PostgresBindings {
        if let failure = self.failure { throw failure }
        return self.bindings
    }
}
