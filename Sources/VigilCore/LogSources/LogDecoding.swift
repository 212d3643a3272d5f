import Foundation

/// What a decoder read from a message it recognises; replaces the generic mapping's type and
/// adds fields.
public struct LogDecoding: Sendable, Equatable {
    public var type: String
    public var actor: String?
    public var ip: String?
    public var outcome: Outcome
    public var details: [String: JSONValue]

    public init(type: String, actor: String? = nil, ip: String? = nil, outcome: Outcome = .unknown, details: [String: JSONValue] = [:]) {
        self.type = type
        self.actor = actor
        self.ip = ip
        self.outcome = outcome
        self.details = details
    }

    func apply(to draft: inout LogEventDraft) {
        draft.type = self.type
        if let actor = self.actor { draft.actor = actor }
        if let ip = self.ip { draft.ip = ip }
        draft.outcome = self.outcome
        draft.details.merge(self.details) { _, new in new }
    }
}

/// The decoders for the messages that matter most, tried in order by program name and shape.
public enum LogDecoders {
    /// `program` is the syslog APP-NAME (tag); sshd and sudo are recognised by it, netfilter
    /// lines (iptables/nftables `LOG`) by their shape from any program (usually `kernel`).
    public static func decode(program: String?, message: String) -> LogDecoding? {
        switch program {
        case "sshd", "sshd-session": if let decoded = SSHDDecoder.decode(message) { return decoded }
        case "sudo": if let decoded = SudoDecoder.decode(message) { return decoded }
        default: break
        }
        return NetfilterDecoder.decode(message)
    }
}
