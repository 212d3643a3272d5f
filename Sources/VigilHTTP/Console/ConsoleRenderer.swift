import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import VigilCore

/// Renders console pages: a template from `ConsoleTemplates` inside the layout, with the values
/// every page shows (who is signed in, the CSRF token, the current section).
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary
    let version: String

    init(version: String) throws {
        var library = MustacheLibrary()
        for (name, text) in ConsoleTemplates.all { try library.register(text, named: name) }
        self.library = library
        self.version = version
    }

    /// A full page. `section` names the navigation entry shown as current.
    func page(
        _ template: String,
        title: String,
        section: String? = nil,
        context: VigilRequestContext,
        values: [String: Any],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var all = values
        all["title"] = title
        all["version"] = self.version
        if let section { all["nav_\(section)"] = true }
        if let console = context.console { all["csrf"] = console.csrfToken }
        if let principal = context.principal {
            all["user"] = principal.name
            all["role"] = principal.role?.rawValue ?? ""
            all["is_admin"] = principal.role == .admin
            all["is_staff"] = principal.role == .admin || principal.role == .analyst
        }
        return Self.html(self.library.render(all, withTemplate: template) ?? "", status: status)
    }

    /// A fragment (no layout), for the live update.
    func fragment(_ template: String, values: [String: Any]) -> Response {
        Self.html(self.library.render(values, withTemplate: template) ?? "")
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        let headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The page for a domain error: its problem's status, title, detail and field errors.
    func failure(_ error: VigilError, context: VigilRequestContext) -> Response {
        self.failure(Problem(error), context: context)
    }

    func failure(_ problem: Problem, context: VigilRequestContext) -> Response {
        var response = self.page(
            "error",
            title: problem.title,
            context: context,
            values: [
                "problem_title": problem.title, "detail": problem.detail, "has_errors": !problem.errors.isEmpty,
                "errors": problem.errors.map { ["field": $0.field.isEmpty ? "(form)" : $0.field, "message": $0.message] },
            ],
            status: problem.status
        )
        for field in problem.headers { response.headers.append(field) }
        return response
    }
}

/// Turns the API's JSON into values Mustache reads: objects become dictionaries (nulls left
/// out, so `{{#x}}` is false for them), and every RFC 3339 string field `x` also gets `x_text`,
/// the same instant for people to read.
enum ConsoleValues {
    static func from(_ value: JSONValue) -> Any {
        switch value {
        case .null: return ""
        case .bool(let flag): return flag
        case .int(let number): return number
        case .double(let number): return number
        case .string(let text): return text
        case .array(let items): return items.map(Self.from)
        case .object(let fields): return Self.object(fields)
        }
    }

    static func object(_ fields: [String: JSONValue]) -> [String: Any] {
        var output: [String: Any] = [:]
        for (key, value) in fields where value != .null {
            output[key] = Self.from(value)
            if case .string(let text) = value, key.hasSuffix("_at") || key.hasSuffix("_seen") || key == "at" || key == "from" || key == "to",
                let time = Timestamp(rfc3339: text)
            {
                output[key + "_text"] = Self.readable(time)
            }
        }
        return output
    }

    static func items(_ value: JSONValue?) -> [[String: Any]] {
        guard case .object(let page)? = value, case .array(let items)? = page["items"] else { return [] }
        return items.compactMap { if case .object(let fields) = $0 { Self.object(fields) } else { nil } }
    }

    /// `2026-12-05 16:13:56 UTC`.
    static func readable(_ time: Timestamp) -> String {
        let text = time.rfc3339
        guard text.count >= 19 else { return text }
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8)) + " UTC"
    }

    /// Indented JSON for people (object keys sorted).
    static func pretty(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + Self.pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let fields) where !fields.isEmpty:
            let lines = fields.keys.sorted().map { inner + JSONValue.string($0).canonicalJSON + ": " + Self.pretty(fields[$0]!, indent: inner) }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return value.canonicalJSON
        }
    }

    /// `[{value, selected}]` for a `<select>` of `options` with `current` chosen.
    static func options(_ options: [String], current: [String]) -> [[String: Any]] {
        options.map { ["value": $0, "selected": current.contains($0), "checked": current.contains($0)] }
    }
}
