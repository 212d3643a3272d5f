import Hummingbird
import VigilCore

extension Request {
    /// The query string's parameters in order, repeated names included.
    /// Throws a validation error when it is not valid percent-encoded UTF-8.
    func queryParameters() throws -> [(String, String)] {
        guard let parameters = QueryString.parse(self.uri.query ?? "") else {
            throw VigilError.validation([FieldError(field: "", message: "the query string is not valid percent-encoded UTF-8")])
        }
        return parameters
    }
}
