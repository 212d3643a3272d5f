import NIOCore

/// The OpenAPI 3.1 description of every route, compiled into the binary (no resource file to
/// find at run time) and served verbatim at `/openapi.json`.
enum OpenAPIDocument {
    static let bytes = ByteBuffer(string: Self.embedded)
}
