import Foundation

/// What the console middleware learned about a request, for the page handlers.
struct ConsoleRequestState: Sendable {
    /// The CSRF token this page's forms carry.
    var csrfToken: String
    /// A posted form's fields, already checked against the CSRF token.
    var form: [(String, String)] = []
    /// `Set-Cookie` values the response must carry (a rotated session, a new nonce).
    var setCookies: [String] = []
}

extension ConsoleRequestState {
    /// The first value of form field `name`, or "" when absent.
    func field(_ name: String) -> String {
        self.form.first { $0.0 == name }?.1 ?? ""
    }

    /// Every value of form field `name` (checkbox groups).
    func fields(_ name: String) -> [String] {
        self.form.filter { $0.0 == name }.map(\.1)
    }
}
