import Foundation
import NIOCore

/// The OpenAPI 3.1 description of every route, shipped as a resource and served verbatim.
enum OpenAPIDocument {
    static let bytes: ByteBuffer = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            return ByteBuffer(string: "{}")
        }
        return ByteBuffer(bytes: data)
    }()
}
