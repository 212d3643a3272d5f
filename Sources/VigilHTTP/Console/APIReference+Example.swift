import Foundation
import VigilCore

extension APIReference.Builder {
    /// An example value for `schema`: its own `example`, else the first `enum` value, else one
    /// made from its type and format (objects list their required properties, or all of them).
    func example(_ schema: JSONValue, depth: Int) -> JSONValue {
        guard depth < 6 else { return .null }
        let resolved = self.resolve(schema)
        let fields = APIReference.object(resolved)
        if let example = fields["example"] { return example }
        if case .array(let options)? = fields["enum"], let first = options.first { return first }
        if case .array(let parts)? = fields["allOf"] {
            var merged: [String: JSONValue] = [:]
            for part in parts {
                if case .object(let object) = self.example(part, depth: depth + 1) { merged.merge(object) { _, new in new } }
            }
            return .object(merged)
        }
        for key in ["oneOf", "anyOf"] {
            if case .array(let options)? = fields[key], let first = options.first { return self.example(first, depth: depth + 1) }
        }
        switch self.type(of: fields) {
        case "object":
            let properties = APIReference.object(fields["properties"])
            var object: [String: JSONValue] = [:]
            for (name, property) in properties { object[name] = self.example(property, depth: depth + 1) }
            return .object(object)
        case "array":
            return .array([self.example(fields["items"] ?? .object([:]), depth: depth + 1)])
        case "integer": return .int(fields["minimum"].flatMap { if case .int(let n) = $0 { n } else { nil } } ?? 1)
        case "number": return .double(1.5)
        case "boolean": return .bool(true)
        case "null": return .null
        default: return .string(Self.sample(format: APIReference.string(fields["format"])))
        }
    }

    private func type(of fields: [String: JSONValue]) -> String {
        switch fields["type"] {
        case .string(let type)?: return type
        case .array(let types)?: return types.compactMap { if case .string(let t) = $0, t != "null" { t } else { nil } }.first ?? "null"
        default: return fields["properties"] != nil ? "object" : "string"
        }
    }

    static func sample(format: String) -> String {
        switch format {
        case "date-time": "2026-12-05T16:00:00Z"
        case "uuid": "019aef2c-6b1d-7c3e-9a4f-2b5d8e1f0a37"
        case "uri": "https://vigil.example.com/"
        case "ipv4", "ip": "203.0.113.7"
        case "email": "soc@example.com"
        default: "string"
        }
    }
}
