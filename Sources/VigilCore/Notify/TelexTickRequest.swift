import Foundation

/// What Telex posts to the tick URL of an interval integration:
/// `{"channel_id": …, "return_url": …, "settings": [{"label", "type", "required", "default"}]}`.
public struct TelexTickRequest: Sendable, Equatable {
    /// The Telex channel's id (a Vigil Telex channel links to it with `config.channel_id`).
    public var channelID: String
    public var returnURL: String
    /// The `min_severity` setting, when given.
    public var minSeverity: Severity?

    static let acceptedFields: Set<String> = ["channel_id", "return_url", "settings"]
    static let acceptedSettingFields: Set<String> = ["label", "type", "required", "default", "options", "description"]

    public static func validate(_ value: JSONValue) -> Result<TelexTickRequest, ValidationFailure> {
        guard case .object(let fields) = value else {
            return .failure(ValidationFailure([FieldError(field: "", message: "must be a JSON object, got \(value.typeName)")]))
        }
        var errors = RuleErrors()
        errors.unknown(fields, allowed: acceptedFields, prefix: "")
        let channelID = errors.string(fields, "channel_id")
        if channelID == nil, fields["channel_id"] == nil { errors.add("channel_id", "is required") }
        if let channelID, channelID.isEmpty || channelID.utf8.count > 128 { errors.add("channel_id", "must be 1-128 bytes of UTF-8") }
        let returnURL = errors.string(fields, "return_url")
        if returnURL == nil, fields["return_url"] == nil { errors.add("return_url", "is required") }
        if let returnURL, !NotificationChannel.isHTTPURL(returnURL) { errors.add("return_url", "must be an http or https URL") }
        var minSeverity: Severity?
        switch fields["settings"] {
        case .none, .some(.null): break
        case .some(.array(let settings)) where settings.count <= 50:
            for (index, setting) in settings.enumerated() {
                guard case .object(let members) = setting else {
                    errors.add("settings[\(index)]", "must be an object")
                    continue
                }
                errors.unknown(members, allowed: acceptedSettingFields, prefix: "settings[\(index)].")
                guard case .string("min_severity")? = members["label"] else { continue }
                if case .string(let text)? = members["default"], let severity = Severity(parsing: text) {
                    minSeverity = severity
                } else {
                    errors.add("settings[\(index)].default", "must be a severity (info, low, medium, high, critical)")
                }
            }
        case .some: errors.add("settings", "must be an array of at most 50 settings")
        }
        guard errors.list.isEmpty, let channelID, let returnURL else { return .failure(ValidationFailure(errors.list)) }
        return .success(TelexTickRequest(channelID: channelID, returnURL: returnURL, minSeverity: minSeverity))
    }

    /// Whether `returnURL` is on the same scheme, host and port as the linked channel's
    /// webhook URL and its last path segment is the linked `channel_id` (Telex return URLs end
    /// in the channel's id): a tick cannot send a digest to another channel on the same host.
    public func returnURLMatches(_ channelURL: String) -> Bool {
        guard let given = URLComponents(string: self.returnURL), let known = URLComponents(string: channelURL) else { return false }
        let segments = given.path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.last.map(String.init) == self.channelID, given.query == nil, given.fragment == nil else { return false }
        func origin(_ url: URLComponents) -> String {
            let scheme = url.scheme?.lowercased() ?? ""
            let port = url.port ?? (scheme == "https" ? 443 : 80)
            return "\(scheme)://\(url.host?.lowercased() ?? ""):\(port)"
        }
        return origin(given) == origin(known)
    }
}
