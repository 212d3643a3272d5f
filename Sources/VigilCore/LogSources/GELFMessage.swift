import Foundation

/// A Graylog Extended Log Format message: a JSON object with `version`, `host`, `short_message`,
/// optional `full_message`, `timestamp` (seconds since 1970, fractions allowed), `level` (a syslog
/// severity) and additional fields named `_name`. Decompression and chunk reassembly are the
/// listener's; this reads the JSON.
public enum GELFMessage {
    /// The largest message accepted, after decompression and reassembly.
    public static let maxBytes = 256 * 1024
    /// Additional fields that name the program, tried in order, so decoders apply to GELF from
    /// journald or rsyslog as they do to syslog.
    static let programFields = ["_application_name", "_SYSLOG_IDENTIFIER", "_program", "_app", "facility"]

    /// The event a GELF message stands for: type `gelf.message` (or a decoder's), source = the
    /// program, else `host`; description = `short_message`; additional fields as `gelf.<name>`.
    public static func draft(json bytes: some Collection<UInt8>, peer: String?) -> Result<LogEventDraft, LogRejection> {
        guard bytes.count <= maxBytes else { return .failure(.oversize) }
        guard let value = try? JSONParser.parse(bytes, maxDepth: 8), case .object(let fields) = value,
            case .string(let host)? = fields["host"], case .string(let short)? = fields["short_message"], fields["version"] != nil
        else { return .failure(.invalidGELF) }
        var draft = LogEventDraft(type: "gelf.message", description: short)
        var details: [String: JSONValue] = ["host.hostname": .string(host)]
        if case .string(let version)? = fields["version"] { details["gelf.version"] = .string(version) }
        if case .string(let full)? = fields["full_message"] { details["message"] = .string(full) }
        if let seconds = fields["timestamp"]?.number, seconds > 0, seconds < 253_402_300_800 {
            draft.occurredAt = Timestamp(microseconds: Int64(seconds * 1_000_000))
        }
        if let level = fields["level"]?.number, let code = Int(exactly: level.rounded()), (0...7).contains(code) {
            draft.severity = SyslogMessage.severity(syslog: code)
            details["log.syslog.severity.code"] = .int(Int64(code))
            details["log.syslog.severity.name"] = .string(SyslogMessage.severityNames[code])
        }
        if case .string(let file)? = fields["file"] { details["log.origin.file.name"] = .string(file) }
        if let line = fields["line"]?.number, let number = Int64(exactly: line.rounded()) { details["log.origin.file.line"] = .int(number) }
        for (key, field) in fields where key.hasPrefix("_") && key != "_id" && key.count > 1 {
            details["gelf." + key.dropFirst()] = field
        }
        if let peer { details["log.source.address"] = .string(peer) }
        let program = Self.programFields.lazy.compactMap { key -> String? in
            if case .string(let name)? = fields[key], !name.isEmpty { return name }
            return nil
        }.first
        draft.source = program ?? host
        draft.details = details
        if let decoded = LogDecoders.decode(program: program, message: short) { decoded.apply(to: &draft) }
        return .success(draft)
    }
}

extension JSONValue {
    var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
