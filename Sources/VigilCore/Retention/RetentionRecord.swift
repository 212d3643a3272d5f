import Crypto
import Foundation

/// The `retention.deleted` event each deletion writes in its own transaction. Its details
/// account for the leaves the deletion pruned — their number and a digest of their indices —
/// so `vigil verify` can tell a deletion by retention from one made behind Vigil's back.
public enum RetentionRecord {
    /// SHA-256 over the sorted leaf indices, each as 8 bytes big-endian, in hex.
    public static func digest(_ indices: [Int]) -> String {
        var hasher = SHA256()
        for index in indices.sorted() {
            withUnsafeBytes(of: UInt64(index).bigEndian) { hasher.update(bufferPointer: $0) }
        }
        return Hex.encode(hasher.finalize())
    }

    public static func event(deleted: Int, leaves: [Int], scope: String, policy: RetentionPolicy, now: Timestamp) -> PreparedEvent {
        AuditTrail.event(
            .retentionDeleted,
            severity: .medium,
            outcome: .success,
            context: AuditContext(actor: AuditTrail.principal),
            entityType: "retention",
            entityID: scope,
            description: "retention deleted \(deleted) events",
            details: [
                "deleted": .int(Int64(deleted)),
                "leaf_count": .int(Int64(leaves.count)),
                "leaf_digest": .string(Self.digest(leaves)),
                "default_days": policy.defaultDays.map { .int(Int64($0)) } ?? .null,
                "rules": .string(policy.rules.map { "\($0.selector)=\($0.days)" }.joined(separator: ",")),
            ]
        ).prepared(receivedAt: now, ingestedBy: AuditTrail.principal)
    }

    /// Whether `record` is a retention record that accounts for exactly `leaves`.
    public static func accounts(for leaves: [Int], record: Event) -> Bool {
        guard record.type == AuditEventType.retentionDeleted.rawValue,
            case .object(let details)? = try? JSONParser.parse(Array(record.details.utf8)),
            case .int(let count)? = details["leaf_count"], case .string(let digest)? = details["leaf_digest"]
        else { return false }
        return count == leaves.count && digest == Self.digest(leaves)
    }
}
