import VigilCore

/// Vigil's Telex integration descriptor (`GET /integration.json`).
enum TelexDescriptor {
    /// The app logo the descriptor names: a shield, drawn inline so nothing else is served.
    static let logo = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><path d="M32 4 8 14v16c0 15 10 26 24 30 14-4 24-15 24-30V14z" \
        fill="#1f2937"/><path d="m22 32 7 7 14-15" stroke="#34d399" stroke-width="5" fill="none"/></svg>
        """

    static func json(baseURL: String) -> String {
        let severities: [JSONValue] = Severity.allCases.map { .string($0.rawValue) }
        let document: JSONValue = .object([
            "data": .object([
                "date": .object(["created_at": .string("2026-11-23"), "updated_at": .string("2026-11-23")]),
                "descriptions": .object([
                    "app_name": .string("Vigil"),
                    "app_description": .string(
                        "Security audit trail and threat detection: posts a digest of the alerts Vigil opened since the last interval."
                    ),
                    "app_logo": .string(baseURL + "/logo.svg"),
                    "app_url": .string(baseURL),
                    "background_color": .string("#1f2937"),
                ]),
                "is_active": .bool(true),
                "integration_type": .string("interval"),
                "integration_category": .string("Security & Compliance"),
                "key_features": .array([
                    .string("Digest of new alerts (brute-force logins, token theft, high-severity events) every interval"),
                    .string("Minimum severity per Telex channel"),
                    .string("Real-time alert messages through a Vigil Telex channel"),
                ]),
                "author": .string("Vigil"),
                "settings": .array([
                    .object([
                        "label": .string("interval"), "type": .string("text"), "required": .bool(true), "default": .string("*/5 * * * *"),
                    ]),
                    .object([
                        "label": .string("min_severity"), "type": .string("dropdown"), "required": .bool(true), "default": .string("high"),
                        "options": .array(severities),
                    ]),
                ]),
                "target_url": .string(""),
                "tick_url": .string(baseURL + "/api/v1/integrations/telex/tick"),
            ])
        ])
        return document.canonicalJSON
    }
}
