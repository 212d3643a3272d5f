import VigilCore

/// What a responder should do next about an alert, from what it is about: the addresses and
/// principals in its group key, its rule and severity.
enum RecommendedActions {
    static func list(for notice: AlertNotice) -> [String] {
        var actions: [String] = []
        let parts = notice.groupKey.split(separator: "&").map(String.init)
        let ips = parts.filter { $0.hasPrefix("ip=") }.map { String($0.dropFirst(3)) }.filter { !$0.isEmpty }
        let actors = parts.filter { $0.hasPrefix("actor=") }.map { String($0.dropFirst(6)) }.filter { !$0.isEmpty }
        let rule = notice.ruleName.lowercased()
        for ip in ips {
            actions.append("Check whether \(ip) is one of yours; if not, block or rate-limit it at the firewall or proxy.")
            actions.append("Look for a successful login from \(ip): GET /api/v1/events?ip=\(ip)&outcome=success")
        }
        for actor in actors {
            actions.append("Ask \(actor) whether this activity was theirs; if not, reset their password and revoke their sessions.")
        }
        if rule.contains("refresh") || rule.contains("token") {
            actions.append("Revoke the user's refresh tokens and sessions: a retired token in use usually means it was stolen.")
        }
        if rule.contains("brute") || rule.contains("login") {
            actions.append("Confirm the targeted accounts have strong passwords and MFA.")
        }
        if notice.severity >= .critical {
            actions.append("Treat this as an incident: page the on-call responder.")
        }
        actions.append("Acknowledge and assign the alert in Vigil (PATCH /api/v1/alerts/\(notice.alertID)) so the team knows it is handled.")
        return actions
    }
}
