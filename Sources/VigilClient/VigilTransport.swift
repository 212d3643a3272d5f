import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Requests to one Vigil with one API key, over AsyncHTTPClient.
struct VigilTransport: Sendable {
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    let baseURL: String
    let apiKey: String
    let httpClient: HTTPClient
    let timeout: TimeAmount
    /// The largest answer read (a page of 1000 events with full details stays far below).
    static let maxAnswerBytes = 64 << 20

    /// One request; no answer is `VigilClientError` `connection_failed`, any answer is returned.
    func request(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: ByteBuffer? = nil,
        contentType: String = "application/json"
    ) async throws(VigilClientError) -> Answer {
        var request = HTTPClientRequest(url: self.baseURL + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(self.apiKey)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "vigil-client-swift")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(body)
        }
        do {
            let response = try await self.httpClient.execute(request, timeout: self.timeout)
            let data = try await response.body.collect(upTo: Self.maxAnswerBytes)
            return Answer(status: Int(response.status.code), headers: response.headers, body: data)
        } catch {
            throw VigilClientError.connectionFailed(error)
        }
    }

    /// A request whose non-2xx answer is thrown as the typed error.
    func call(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: ByteBuffer? = nil,
        contentType: String = "application/json"
    ) async throws(VigilClientError) -> ByteBuffer {
        let answer = try await self.request(method, path, query: query, body: body, contentType: contentType)
        guard (200..<300).contains(answer.status) else { throw Self.error(answer) }
        return answer.body
    }

    /// The typed error of a non-2xx answer; tolerates a body that is not a problem document.
    static func error(_ answer: Answer) -> VigilClientError {
        struct Problem: Decodable {
            var code: String?
            var detail: String?
            var errors: [VigilClientError.FieldError]?
        }
        let problem = try? JSONDecoder().decode(Problem.self, from: Data(buffer: answer.body))
        let retryAfter = answer.headers.first(name: "Retry-After").flatMap(Double.init).map { max(0, $0) }
        return VigilClientError(
            status: answer.status,
            code: problem?.code ?? "http_\(answer.status)",
            detail: problem?.detail ?? "HTTP \(answer.status)",
            errors: problem?.errors ?? [],
            retryAfter: retryAfter
        )
    }

    /// RFC 3986's unreserved characters (ASCII letters, digits, `-._~`): all that is sent
    /// unescaped in a path segment or a query parameter.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func queryString(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        let pairs = items.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")=\(value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")"
        }
        return "?" + pairs.joined(separator: "&")
    }
}
