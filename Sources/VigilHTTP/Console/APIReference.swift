import Foundation
import VigilCore

/// The `/docs` page's content, built once from the OpenAPI document Vigil serves: every route
/// with its parameters, request and response schemas, and an example made from each schema
/// (its `example`, `enum`, `format` and `required` properties; `$ref`s followed up to depth 6).
struct APIReference: @unchecked Sendable {
    /// Mustache values; built at start and only read afterwards.
    let values: [String: Any]

    init(document bytes: [UInt8]) throws {
        guard case .object(let document) = try JSONParser.parse(bytes) else { throw VigilError.unprocessable("OpenAPI document is not an object") }
        let schemas = Self.object(Self.object(document["components"])["schemas"])
        let components = Self.object(document["components"])
        let parameters = Self.object(components["parameters"])
        let builder = Builder(schemas: schemas, parameters: parameters, responses: Self.object(components["responses"]))
        var groups: [String: [[String: Any]]] = [:]
        let methods = ["get", "post", "put", "patch", "delete"]
        for path in Self.object(document["paths"]).keys.sorted() {
            let item = Self.object(Self.object(document["paths"])[path])
            for method in methods {
                guard case .object(let operation)? = item[method] else { continue }
                let group = path.hasPrefix("/api/v1/") ? String(path.dropFirst(8).prefix { $0 != "/" }) : (Self.tag(operation) ?? "operations")
                groups[group, default: []].append(builder.operation(operation, method: method, path: path))
            }
        }
        let info = Self.object(document["info"])
        self.values = [
            "doc_title": Self.string(info["title"]), "doc_version": Self.string(info["version"]), "doc_description": Self.string(info["description"]),
            "groups": groups.keys.sorted().map { ["name": $0, "operations": groups[$0]!] as [String: Any] },
            "schemas": schemas.keys.sorted().map { ["name": $0, "schema": ConsoleValues.pretty(schemas[$0]!)] },
        ]
    }

    static func object(_ value: JSONValue?) -> [String: JSONValue] {
        if case .object(let fields)? = value { fields } else { [:] }
    }

    static func string(_ value: JSONValue?) -> String {
        if case .string(let text)? = value { text } else { "" }
    }

    static func tag(_ operation: [String: JSONValue]) -> String? {
        if case .array(let tags)? = operation["tags"], case .string(let first)? = tags.first { first } else { nil }
    }
}
