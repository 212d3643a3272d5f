/// Every metric Vigil exports, with its `# HELP` text. Names carry their unit (`_seconds`) or
/// `_total` for counters, as Prometheus asks; `promtool check metrics` runs over the real
/// output in CI, and a test checks each metric the server emits is listed here.
enum MetricsCatalog {
    static let help: [String: String] = [
        "vigil_http_requests_total": "HTTP requests answered, by method, route pattern and status.",
        "vigil_http_request_duration_seconds": "Time from request to the last byte of the response body, by method and route pattern.",
        "vigil_events_ingested_total": "Events committed to the log (ingested and self-audit).",
        "vigil_group_commit_duration_seconds": "Time one group commit of the event writer took.",
        "vigil_group_commit_events": "Events per group commit.",
        "vigil_detection_events_total": "Events the detector evaluated.",
        "vigil_alerts_opened_total": "Alerts the detector opened.",
        "vigil_detection_lag_seconds": "Time from an event's receipt to its evaluation by the detector.",
        "vigil_rollup_events_total": "Events counted into the statistics rollups.",
        "vigil_word_index_events_total": "Events whose words the full-text index took in (SQLite).",
        "vigil_notification_attempt_duration_seconds": "Time one notification attempt took, by channel kind.",
        "vigil_notification_attempts_failed_total": "Notification attempts that failed, by channel kind.",
        "vigil_notifications_delivered_total": "Notifications delivered, by channel kind.",
        "vigil_notifications_dead_total": "Notifications given up after their last attempt, by channel kind.",
        "vigil_log_messages_total": "Messages from a syslog or GELF listener committed as events, by listener.",
        "vigil_log_messages_rejected_total": "Messages from a listener not stored, by listener and reason (oversize, invalid_utf8, bad_priority, …).",
        "vigil_log_senders_refused_total": "Datagrams or TCP connections a listener refused, by listener and reason (not_allowed, connection_limit).",
        "vigil_log_connections": "TCP connections open on a listener.",
        "vigil_ledger_leaves_total": "Events sealed into the tamper-evident log's Merkle tree.",
        "vigil_ledger_tree_size": "Leaves in the tamper-evident log's tree as of the newest checkpoint.",
        "vigil_ledger_seal_lag_seconds": "Time from the receipt of the oldest event of a sealing step to its signed checkpoint.",
        "vigil_log_tail_events_total": "Events the detector and the sealer read, from memory (the other had read them) or the engine.",
        "vigil_retention_deleted_total": "Events retention deleted (their leaf hashes stay in the ledger).",
        "vigil_leader": "1 on the node that runs the cluster's background work (PostgreSQL), else 0.",
    ]
}
