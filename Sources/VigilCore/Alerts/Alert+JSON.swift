extension Alert {
    /// The API representation (list items and the top of the detail view).
    public var json: String {
        var writer = JSONWriter()
        writer.object { self.write(into: &$0) }
        return writer.output
    }

    func write(into object: inout JSONWriter.ObjectWriter) {
        object.field("id", self.id.lowercased)
        object.field("rule_id", self.ruleID.lowercased)
        object.field("rule_name", self.ruleName)
        object.field("title", self.title)
        object.field("severity", self.severity.rawValue)
        object.field("status", self.status.rawValue)
        object.field("group_key", self.groupKey)
        object.field("count", Int64(self.count))
        object.field("first_seen", self.firstSeen.rfc3339)
        object.field("last_seen", self.lastSeen.rfc3339)
        object.field("assignee", self.assignee)
        object.field("created_at", self.createdAt.rfc3339)
        object.field("updated_at", self.updatedAt.rfc3339)
    }

    /// The same fields as a JSON value (audit details, backtest results).
    public var jsonValue: JSONValue {
        (try? JSONParser.parse(Array(self.json.utf8))) ?? .object([:])
    }
}

extension AlertDetail {
    /// The detail view: the alert's fields plus `evidence` and `history`, both oldest first.
    public var json: String {
        var writer = JSONWriter()
        writer.object { object in
            self.alert.write(into: &object)
            object.rawField("evidence", AlertEvidence.jsonArray(self.evidence))
            var history = JSONWriter()
            history.raw("[")
            for (index, entry) in self.history.enumerated() {
                if index > 0 { history.raw(",") }
                history.object { item in
                    item.field("at", entry.at.rfc3339)
                    item.field("by", entry.by)
                    item.field("from", entry.from?.rawValue)
                    item.field("to", entry.to.rawValue)
                    item.field("assignee", entry.assignee)
                    item.field("note", entry.note)
                }
            }
            history.raw("]")
            object.rawField("history", history.output)
        }
        return writer.output
    }
}

extension AlertEvidence {
    /// `[{"event_id", "occurred_at", "summary"}, …]`.
    public static func jsonArray(_ list: [AlertEvidence]) -> String {
        var writer = JSONWriter()
        writer.raw("[")
        for (index, entry) in list.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.object { item in
                item.field("event_id", entry.eventID.lowercased)
                item.field("occurred_at", entry.occurredAt.rfc3339)
                item.field("summary", entry.summary)
            }
        }
        writer.raw("]")
        return writer.output
    }
}
