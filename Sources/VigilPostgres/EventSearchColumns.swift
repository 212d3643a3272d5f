import VigilCore

/// The two derived columns the PostgreSQL adapter stores with every event so that one GIN
/// index each serves many filters (a GIN insert is far cheaper than a b-tree insert per
/// filterable column, measured: 3 b-trees + 3 GIN ≈ 23 µs per row vs 7 b-trees + 2 GIN ≈ 50 µs):
///
/// - `facets text[]`: `t:<type>`, `p:<type prefix up to each dot>`, `a:<actor>`,
///   `et:<entity_type>`, `e:<entity_id>`, `s:<source>`, `l:<location>`;
/// - `search tsvector`: the words of the searchable fields split by `TextSearch`, exactly as
///   queries are split, so PostgreSQL's own parser never decides what a word is.
enum EventSearchColumns {
    static func facets(of event: Event) -> [String] {
        var facets = ["t:" + event.type]
        var prefix = ""
        for character in event.type {
            prefix.append(character)
            if character == "." { facets.append("p:" + prefix) }
        }
        for (tag, value) in [
            ("a:", event.actor), ("et:", event.entityType), ("e:", event.entityID), ("s:", event.source), ("l:", event.location),
        ] {
            if let value { facets.append(tag + value) }
        }
        return facets
    }

    static func words(of event: Event) -> [String] {
        TextSearch.words(in: TextSearch.texts(of: event))
    }

    /// A `text[]` input literal: every element double-quoted, `"` and `\` escaped.
    static func arrayLiteral(_ values: [String]) -> String {
        var literal = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { literal.append(",") }
            literal.append("\"")
            for scalar in value.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { literal.append("\\") }
                literal.unicodeScalars.append(scalar)
            }
            literal.append("\"")
        }
        literal.append("}")
        return literal
    }

    /// A `tsvector` input literal of `words` (PostgreSQL drops repeats). Words are letters and
    /// digits only, so quoting needs no escapes; quoting keeps anything from reading as syntax.
    static func tsvectorLiteral(_ words: some Sequence<String>) -> String {
        words.map { "'" + $0 + "'" }.joined(separator: " ")
    }

    /// A `tsquery` requiring every term.
    static func tsqueryLiteral(_ terms: [String]) -> String {
        terms.map { "'" + $0 + "'" }.joined(separator: " & ")
    }
}
