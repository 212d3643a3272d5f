/// What a person may do. `admin` can do everything; `analyst` reads every event and ingests;
/// `user` reads only events whose `actor` is their own username.
public enum Role: String, Sendable, CaseIterable, Codable {
    case admin, analyst, user
}
