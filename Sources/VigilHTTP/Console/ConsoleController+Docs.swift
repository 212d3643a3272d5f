import Foundation
import Hummingbird
import VigilCore

extension ConsoleController {
    /// `GET /docs`: the API reference, for anyone (the document itself is public at /openapi.json).
    @Sendable func docs(_ request: Request, context: VigilRequestContext) async throws -> Response {
        self.renderer.page("docs", title: "API reference", section: "docs", context: context, values: self.reference.values)
    }
}
