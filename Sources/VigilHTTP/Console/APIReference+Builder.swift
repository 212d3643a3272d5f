import Foundation
import VigilCore

extension APIReference {
    /// Turns one operation of the document into the page's values.
    struct Builder {
        let schemas: [String: JSONValue]
        let parameters: [String: JSONValue]
        let responses: [String: JSONValue]

        func operation(_ operation: [String: JSONValue], method: String, path: String) -> [String: Any] {
            var values: [String: Any] = [
                "method": method.uppercased(), "path": path, "summary": APIReference.string(operation["summary"]),
                "anchor": (method + path).map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined(),
            ]
            let description = APIReference.string(operation["description"])
            if !description.isEmpty { values["description"] = description }
            if case .array(let security)? = operation["security"], security.isEmpty { values["security"] = "none" }
            if case .array(let list)? = operation["parameters"], !list.isEmpty {
                values["parameters"] = list.map(self.parameter)
                values["has_parameters"] = true
            }
            if case .object(let body)? = operation["requestBody"], let (type, schema) = self.content(body["content"]) {
                values["request"] = self.schemaValues(schema, contentType: type)
            }
            values["responses"] = APIReference.object(operation["responses"]).keys.sorted().map { status -> [String: Any] in
                let response = self.resolve(APIReference.object(operation["responses"])[status] ?? .null)
                var item: [String: Any] = ["status": status, "description": APIReference.string(APIReference.object(response)["description"])]
                if let (type, schema) = self.content(APIReference.object(response)["content"]) {
                    item.merge(self.schemaValues(schema, contentType: type)) { _, new in new }
                }
                return item
            }
            return values
        }

        func parameter(_ value: JSONValue) -> [String: Any] {
            let fields = APIReference.object(self.resolve(value))
            let schema = APIReference.object(fields["schema"])
            var type = APIReference.string(schema["type"])
            if case .string(let format)? = schema["format"] { type += " (\(format))" }
            if case .array(let options)? = schema["enum"] { type += " (" + options.map { APIReference.string($0) }.joined(separator: ", ") + ")" }
            return [
                "name": APIReference.string(fields["name"]), "in": APIReference.string(fields["in"]), "type": type,
                "required": fields["required"] == .bool(true), "description": APIReference.string(fields["description"]),
            ]
        }

        /// The first media type of a `content` map and its schema.
        func content(_ value: JSONValue?) -> (String, JSONValue)? {
            let content = APIReference.object(value)
            guard let type = content.keys.sorted().first else { return nil }
            return (type, APIReference.object(content[type])["schema"] ?? .object([:]))
        }

        func schemaValues(_ schema: JSONValue, contentType: String) -> [String: Any] {
            var refs: Set<String> = []
            self.collectRefs(schema, into: &refs)
            return [
                // A schema that is only a reference is shown resolved; the link still names it.
                "content_type": contentType, "schema": ConsoleValues.pretty(self.resolve(schema)),
                "example": ConsoleValues.pretty(self.example(schema, depth: 0)),
                "refs": refs.sorted(), "has_refs": !refs.isEmpty,
            ]
        }

        func resolve(_ value: JSONValue) -> JSONValue {
            guard case .string(let ref)? = APIReference.object(value)["$ref"] else { return value }
            let name = String(ref.split(separator: "/").last ?? "")
            if ref.hasPrefix("#/components/parameters/") { return self.parameters[name] ?? value }
            if ref.hasPrefix("#/components/schemas/") { return self.schemas[name] ?? value }
            if ref.hasPrefix("#/components/responses/") { return self.responses[name] ?? value }
            return value
        }

        func collectRefs(_ value: JSONValue, into refs: inout Set<String>) {
            switch value {
            case .object(let fields):
                if case .string(let ref)? = fields["$ref"], ref.hasPrefix("#/components/schemas/") { refs.insert(String(ref.dropFirst(21))) }
                for child in fields.values { self.collectRefs(child, into: &refs) }
            case .array(let items): for child in items { self.collectRefs(child, into: &refs) }
            default: break
            }
        }
    }
}
