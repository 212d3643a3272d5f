import VigilCore

extension User {
    /// The public view of a user: never the password hash or token version.
    func writeJSON(into writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", self.id.lowercased)
            object.field("username", self.username)
            object.field("role", self.role.rawValue)
            object.field("disabled", self.disabled)
            object.field("created_at", self.createdAt.rfc3339)
        }
    }

    var json: String {
        var writer = JSONWriter()
        self.writeJSON(into: &writer)
        return writer.output
    }
}
