import Foundation

extension SyslogParser {
    /// BSD syslog: `Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG` after `<PRI>`, every part optional
    /// in practice. The timestamp has no year: the year of `receivedAt`, or the one before when
    /// that would put the message more than a day in the future (a message sent at New Year).
    enum RFC3164 {
        static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

        static func parse(_ text: Substring, facility: Int, severity: Int, receivedAt: Timestamp) -> SyslogMessage {
            var rest = text
            var timestamp: Timestamp?
            var hostname: String?
            if let (time, after) = Self.timestamp(rest, receivedAt: receivedAt) {
                timestamp = time
                rest = after
                // A hostname follows the timestamp when the next word is not itself the tag.
                if let space = rest.firstIndex(of: " "), !rest[..<space].contains(":"), !rest[..<space].contains("[") {
                    hostname = String(rest[..<space])
                    rest = rest[rest.index(after: space)...]
                }
            }
            var appName: String?
            var procID: String?
            // A CEF record directly after the header has no tag: `CEF:` is the record's start.
            if !rest.hasPrefix("CEF:"), let colon = rest.firstIndex(of: ":"), rest.distance(from: rest.startIndex, to: colon) <= 64 {
                let tag = rest[..<colon]
                if !tag.isEmpty, !tag.contains(" ") {
                    if let open = tag.firstIndex(of: "["), tag.last == "]" {
                        appName = String(tag[..<open])
                        procID = String(tag[tag.index(after: open)..<tag.index(before: tag.endIndex)])
                    } else {
                        appName = String(tag)
                    }
                    rest = rest[rest.index(after: colon)...]
                    if rest.first == " " { rest = rest.dropFirst() }
                }
            }
            return SyslogMessage(
                format: .rfc3164,
                facility: facility,
                severity: severity,
                timestamp: timestamp,
                hostname: hostname,
                appName: appName.flatMap { $0.isEmpty ? nil : $0 },
                procID: procID.flatMap { $0.isEmpty ? nil : $0 },
                message: String(rest)
            )
        }

        /// `Mmm dd hh:mm:ss ` (day space-padded) and what follows.
        static func timestamp(_ text: Substring, receivedAt: Timestamp) -> (Timestamp, Substring)? {
            let chars = Array(text.prefix(16))
            guard chars.count == 16, chars[15] == " ", let month = months.firstIndex(of: String(chars[0..<3])), chars[3] == " " else {
                return nil
            }
            let dayText = String(chars[4..<6]).trimmingCharacters(in: .whitespaces)
            let clock = String(chars[7..<15]).split(separator: ":")
            guard let day = Int(dayText), (1...31).contains(day), clock.count == 3,
                let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
                (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
            else { return nil }
            let year = Int(receivedAt.rfc3339.prefix(4)) ?? 1970
            func at(_ year: Int) -> Timestamp? {
                let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month + 1, day, hour, minute, min(second, 59))
                return Timestamp(rfc3339: text)
            }
            guard var time = at(year) else { return nil }
            if time.microseconds > receivedAt.microseconds + 86_400_000_000, let earlier = at(year - 1) { time = earlier }
            return (time, text.dropFirst(16))
        }
    }
}
