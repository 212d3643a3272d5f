import Foundation

/// One syslog message as received (RFC 5424 or RFC 3164), before it becomes an event.
public struct SyslogMessage: Sendable, Equatable {
    public enum Format: String, Sendable {
        case rfc5424, rfc3164
    }

    public var format: Format
    /// 0-23 (kern, user, mail, daemon, auth, …).
    public var facility: Int
    /// 0 (emergency) - 7 (debug).
    public var severity: Int
    /// The header's time; nil when the sender gave none (`-`) or it did not parse.
    public var timestamp: Timestamp?
    public var hostname: String?
    public var appName: String?
    public var procID: String?
    public var msgID: String?
    /// RFC 5424 structured data: SD-ID → parameters (a repeated parameter keeps its last value).
    public var structuredData: [String: [String: String]]
    public var message: String

    public init(
        format: Format,
        facility: Int,
        severity: Int,
        timestamp: Timestamp? = nil,
        hostname: String? = nil,
        appName: String? = nil,
        procID: String? = nil,
        msgID: String? = nil,
        structuredData: [String: [String: String]] = [:],
        message: String
    ) {
        self.format = format
        self.facility = facility
        self.severity = severity
        self.timestamp = timestamp
        self.hostname = hostname
        self.appName = appName
        self.procID = procID
        self.msgID = msgID
        self.structuredData = structuredData
        self.message = message
    }

    /// Names of the facilities, as syslog.conf spells them.
    public static let facilityNames = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security",
        "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ]

    /// Vigil's severity for a syslog severity: 0-2 critical, 3 high, 4 medium, 5 low, 6-7 info.
    public static func severity(syslog value: Int) -> Severity {
        switch value {
        case ...2: .critical
        case 3: .high
        case 4: .medium
        case 5: .low
        default: .info
        }
    }
}
