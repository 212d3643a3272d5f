import Foundation

extension SyslogMessage {
    /// RFC 5424's names of the severities, 0-7.
    public static let severityNames = ["emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"]

    /// The event this message stands for (see the README's mapping table): a CEF record in the
    /// message is read as CEF, a message a decoder knows (sshd, sudo, netfilter) gets its type and
    /// fields, anything else is `syslog.message`. `peer` is the sender's address, kept as
    /// `log.source.address` (the relay, not necessarily the host the message is about).
    public func draft(peer: String?) -> LogEventDraft {
        var draft = LogEventDraft(
            type: "syslog.message",
            occurredAt: self.timestamp,
            severity: Self.severity(syslog: self.severity),
            source: self.appName,
            description: self.message
        )
        var details: [String: JSONValue] = [
            "log.syslog.facility.code": .int(Int64(self.facility)),
            "log.syslog.facility.name": .string(Self.facilityNames[min(self.facility, Self.facilityNames.count - 1)]),
            "log.syslog.severity.code": .int(Int64(self.severity)),
            "log.syslog.severity.name": .string(Self.severityNames[min(self.severity, 7)]),
            "log.syslog.priority": .int(Int64(self.facility * 8 + self.severity)),
        ]
        if self.format == .rfc5424 { details["log.syslog.version"] = .string("1") }
        if let hostname = self.hostname { details["host.hostname"] = .string(hostname) }
        if let appName = self.appName {
            details["log.syslog.appname"] = .string(appName)
            details["process.name"] = .string(appName)
        }
        if let procID = self.procID {
            details["log.syslog.procid"] = .string(procID)
            if let pid = Int64(procID) { details["process.pid"] = .int(pid) }
        }
        if let msgID = self.msgID { details["log.syslog.msgid"] = .string(msgID) }
        if !self.structuredData.isEmpty {
            details["log.syslog.structured_data"] = .object(self.structuredData.mapValues { .object($0.mapValues { .string($0) }) })
        }
        if let peer { details["log.source.address"] = .string(peer) }
        draft.details = details
        let trimmed = self.message.drop { $0 == " " }
        if trimmed.hasPrefix("CEF:"), let cef = CEFMessage.parse(String(trimmed)) {
            cef.apply(to: &draft)
        } else if let decoded = LogDecoders.decode(program: self.appName, message: self.message) {
            decoded.apply(to: &draft)
        }
        return draft
    }
}
