import Hummingbird
import VigilCore

extension Request {
    /// The query string's parameters in order, repeated names included.
    /// Throws a validation error when it is not valid percent-encoded UTF-8.
    func queryParameters() throws -> [(String, String)] {
        guard let parameters = QueryString.parse(self.uri.query ?? "") else {
            throw VigilError.validation([FieldError(field: "", message: "the query string is not valid percent-encoded UTF-8")])
        }
        // No engine may see a NUL: PostgreSQL refuses it in text where SQLite would compare it,
        // so it is refused here, for every route, before any filter is built.
        let withNUL = parameters.filter { $0.0.utf8.contains(0) || $0.1.utf8.contains(0) }
        if !withNUL.isEmpty {
            throw VigilError.validation(
                withNUL.map { FieldError(field: String($0.0.unicodeScalars.filter { $0 != "\0" }), message: FieldReader.nulMessage) }
            )
        }
        return parameters
    }
}
