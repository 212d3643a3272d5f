/// SQL `LIKE` patterns built from user text: `%`, `_` and `\` are escaped with a backslash
/// (PostgreSQL's default escape; SQLite needs `ESCAPE '\'`), so the text matches literally.
public enum LikePattern {
    /// A pattern matching any value that contains `text`.
    public static func containing(_ text: String) -> String {
        var escaped = "%"
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "%"
    }
}
