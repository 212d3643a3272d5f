import SQLiteNIO
import VigilCore

/// `vigil_has_words(terms, <TextSearch.fields>)`: 1 when every space-separated term of
/// `terms` is a word (`TextSearch`) of the fields, else 0.
/// Installed on every connection; it is how SQL matches full text row by row, exactly as the
/// word index and PostgreSQL's tsvector split words.
enum SQLiteWordMatch {
    static let name = "vigil_has_words"

    /// The SQL condition for `terms` over `events`, and its one bind.
    static func condition(_ terms: [String]) -> (String, SQLiteData) {
        ("\(name)(?, \(TextSearch.fields.joined(separator: ", "))) = 1", .text(terms.joined(separator: " ")))
    }

    static func function() -> SQLiteCustomFunction {
        SQLiteCustomFunction(name, argumentCount: Int32(TextSearch.fields.count + 1), pure: true) { arguments in
            guard case .text(let terms) = arguments[0] else { return 0 }
            let fields: [String?] = arguments.dropFirst().map { value in
                if case .text(let text) = value { text } else { nil }
            }
            return TextSearch.containsAll(terms.split(separator: " ").map(String.init), in: fields) ? 1 : 0
        }
    }
}
