import Foundation

/// A packet logged by iptables' or nftables' `LOG` target:
/// `[PREFIX ]IN=eth0 OUT= MAC=… SRC=203.0.113.5 DST=10.0.0.1 LEN=60 … PROTO=TCP SPT=4444 DPT=22 … SYN`
/// → `firewall.packet`, `ip` = SRC. The prefix is the rule's (`--log-prefix`); a prefix naming a
/// drop, block or reject makes the outcome a failure, one naming accept a success.
enum NetfilterDecoder {
    static let numeric: Set<String> = ["SPT", "DPT", "LEN", "TTL", "ID", "WINDOW"]
    static let names: [String: String] = [
        "SRC": "source.ip", "DST": "destination.ip", "SPT": "source.port", "DPT": "destination.port", "IN": "observer.ingress.interface.name",
        "OUT": "observer.egress.interface.name", "MAC": "netfilter.mac", "LEN": "network.packet_length", "TTL": "netfilter.ttl",
        "ID": "netfilter.id", "WINDOW": "netfilter.window", "TOS": "netfilter.tos", "PREC": "netfilter.prec", "MARK": "netfilter.mark",
    ]

    static func decode(_ message: String) -> LogDecoding? {
        guard let inRange = message.range(of: "IN="), message.contains(" SRC="), message.contains(" DST="),
            inRange.lowerBound == message.startIndex || message[message.index(before: inRange.lowerBound)] == " "
        else { return nil }
        var prefix = message[..<inRange.lowerBound].trimmingCharacters(in: .whitespaces)
        // A kernel timestamp (`[ 1234.567890]`) when the line came from the kernel ring buffer.
        if prefix.hasPrefix("["), let close = prefix.firstIndex(of: "]"),
            prefix[prefix.index(after: prefix.startIndex)..<close].allSatisfy({ $0.isNumber || $0 == "." || $0 == " " })
        {
            prefix = prefix[prefix.index(after: close)...].trimmingCharacters(in: .whitespaces)
        }
        var fields: [String: String] = [:]
        var flags: [String] = []
        for word in message[inRange.lowerBound...].split(separator: " ") {
            if let equals = word.firstIndex(of: "=") {
                fields[String(word[..<equals])] = String(word[word.index(after: equals)...])
            } else if word.allSatisfy({ $0.isUppercase }) {
                flags.append(String(word))
            }
        }
        guard let source = fields["SRC"].flatMap(IPAddress.init) else { return nil }
        var details: [String: JSONValue] = [:]
        for (key, value) in fields where !value.isEmpty {
            guard let name = Self.names[key] else { continue }
            if Self.numeric.contains(key), let number = Int64(value) {
                details[name] = .int(number)
            } else {
                details[name] = .string(value)
            }
        }
        if let transport = fields["PROTO"] { details["network.transport"] = .string(transport.lowercased()) }
        if !flags.isEmpty { details["netfilter.flags"] = .array(flags.map { .string($0) }) }
        let action = Self.action(prefix)
        if !prefix.isEmpty { details["rule.name"] = .string(prefix) }
        if let action { details["event.action"] = .string(action) }
        let outcome: Outcome = action == "accept" ? .success : action == nil ? .unknown : .failure
        return LogDecoding(type: "firewall.packet", ip: source.text, outcome: outcome, details: details)
    }

    static func action(_ prefix: String) -> String? {
        let lowered = prefix.lowercased()
        if lowered.contains("drop") { return "drop" }
        if lowered.contains("block") || lowered.contains("deny") { return "block" }
        if lowered.contains("reject") { return "reject" }
        if lowered.contains("accept") || lowered.contains("allow") { return "accept" }
        return nil
    }
}
