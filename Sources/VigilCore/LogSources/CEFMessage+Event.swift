import Foundation

extension CEFMessage {
    /// CEF extension keys with an ECS name; each is copied under that name as well as kept in
    /// `cef.extensions`.
    static let ecsNames: [String: String] = [
        "src": "source.ip", "spt": "source.port", "shost": "source.domain", "smac": "source.mac", "suser": "source.user.name",
        "dst": "destination.ip", "dpt": "destination.port", "dhost": "destination.domain", "dmac": "destination.mac",
        "duser": "destination.user.name", "act": "event.action", "outcome": "event.outcome", "proto": "network.transport",
        "app": "network.protocol", "request": "url.original", "requestMethod": "http.request.method", "fname": "file.name",
        "filePath": "file.path", "fileHash": "file.hash", "in": "source.bytes", "out": "destination.bytes", "msg": "message",
        "cat": "event.category_name", "dvchost": "observer.hostname", "dvc": "observer.ip", "sproc": "process.name",
        "spid": "process.pid", "deviceExternalId": "observer.serial_number", "reason": "event.reason",
    ]
    static let successWords: Set<String> = ["success", "succeeded", "allow", "allowed", "accept", "accepted", "permit", "permitted", "pass"]
    static let failureWords: Set<String> = [
        "failure", "failed", "fail", "block", "blocked", "deny", "denied", "drop", "dropped", "reject", "rejected", "quarantined",
    ]

    /// Fills `draft` from this record: type `cef.<signature id>`, the CEF severity, source = vendor
    /// and product, description = name; `src`, `suser` (else `duser`) and `outcome` (else `act`)
    /// give `ip`, `actor` and `outcome`; `rt` (milliseconds since 1970) gives the time.
    func apply(to draft: inout LogEventDraft) {
        draft.type = "cef." + self.signatureID
        draft.severity = self.vigilSeverity
        draft.source = [self.vendor, self.product].filter { !$0.isEmpty }.joined(separator: " ")
        draft.description = self.name
        draft.details["cef.version"] = .string(self.version)
        draft.details["observer.vendor"] = .string(self.vendor)
        draft.details["observer.product"] = .string(self.product)
        draft.details["observer.version"] = .string(self.productVersion)
        draft.details["event.code"] = .string(self.signatureID)
        draft.details["cef.severity"] = .string(self.severity)
        draft.details["cef.extensions"] = .object(self.extensions.mapValues { .string($0) })
        for (key, value) in self.extensions {
            guard let name = Self.ecsNames[key] else { continue }
            if name.hasSuffix(".port") || name.hasSuffix(".bytes") || name == "process.pid", let number = Int64(value) {
                draft.details[name] = .int(number)
            } else {
                draft.details[name] = .string(value)
            }
        }
        if let source = self.extensions["src"] { draft.ip = source }
        if let user = self.extensions["suser"] ?? self.extensions["duser"], !user.isEmpty { draft.actor = user }
        draft.outcome = Self.outcome(self.extensions["outcome"]) ?? Self.outcome(self.extensions["act"]) ?? .unknown
        if let received = self.extensions["rt"].flatMap(Int64.init), received > 0, received < Int64.max / 1000 {
            draft.occurredAt = Timestamp(microseconds: received * 1000)
        }
    }

    static func outcome(_ word: String?) -> Outcome? {
        guard let word = word?.lowercased().trimmingCharacters(in: .whitespaces) else { return nil }
        if word.hasPrefix("/") { return Self.outcome(String(word.dropFirst())) }
        if Self.successWords.contains(word) { return .success }
        if Self.failureWords.contains(word) { return .failure }
        return nil
    }
}
