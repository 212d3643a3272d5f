import SQLiteNIO

/// A `WHERE` clause built from parts: each condition is added together with the values of its
/// `?` placeholders, so a condition and its binds cannot drift apart. (SQLite binds are plain
/// values that cannot fail to encode; the rule here is only "never a value in the SQL text".)
struct SQLiteFilter {
    private(set) var conditions: [String] = []
    private(set) var binds: [SQLiteData] = []

    init() {}

    /// Starts with one condition.
    init(_ condition: String, _ values: SQLiteData...) {
        self.add(condition, values)
    }

    /// Adds `condition`; its `?` placeholders take `values` in order.
    mutating func add(_ condition: String, _ values: SQLiteData...) {
        self.add(condition, values)
    }

    mutating func add(_ condition: String, _ values: [SQLiteData]) {
        assert(condition.utf8.filter { $0 == UInt8(ascii: "?") }.count == values.count, "placeholders and values differ: \(condition)")
        self.conditions.append(condition)
        self.binds += values
    }

    /// Adds `column IN (?, …)` for `values` (none: the condition is left out).
    mutating func add(_ column: String, in values: [SQLiteData]) {
        guard !values.isEmpty else { return }
        self.add("\(column) IN (\(Self.placeholders(values.count)))", values)
    }

    /// `WHERE a AND b …`, or empty when there are no conditions.
    var whereClause: String { self.conditions.isEmpty ? "" : "WHERE " + self.conditions.joined(separator: " AND ") }

    /// `?,?,…` for `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ",")
    }
}
