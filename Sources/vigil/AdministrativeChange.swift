import ArgumentParser
import Foundation
import VigilCore
import VigilHTTP

/// A change made from the command line: opens the database, runs the change, records it as
/// `cli:<operator>` in the same audit trail as API changes, closes, and turns domain errors
/// into operator-readable messages.
enum AdministrativeChange {
    struct Entry {
        var type: AuditEventType
        var entityType: String
        var entityID: String
        var details: [String: JSONValue] = [:]
    }

    static func run<T: Sendable>(
        _ database: DatabaseOptions,
        _ change: (any StorageEngine) async throws -> T,
        audit: (T) -> Entry
    ) async throws -> T {
        // One reading of the settings (and the config file) for the store and the audit trail.
        let configuration = try await database.configuration()
        let logger = DatabaseOptions.logger(configuration)
        let result = try await Storage.withStorage(
            databaseURL: configuration.databaseURL,
            options: configuration.storage,
            logger: logger
        ) { storage in
            await Result {
                let value = try await change(storage)
                let entry = audit(value)
                let environment = ProcessInfo.processInfo.environment
                let operator_ = environment["SUDO_USER"] ?? environment["USER"] ?? "unknown"
                do {
                    try await AuditTrail(store: storage, logger: logger).record(
                        entry.type,
                        severity: .medium,
                        outcome: .success,
                        context: AuditContext(actor: "cli:\(operator_)"),
                        entityType: entry.entityType,
                        entityID: entry.entityID,
                        description: "changed with the vigil CLI",
                        details: entry.details
                    )
                } catch {
                    // The change is made; a record that could not be written is reported, not hidden.
                    throw ValidationError("the change was made, but its audit record could not be written")
                }
                return value
            }
        }
        do {
            return try result.get()
        } catch VigilError.validation(let errors) {
            throw ValidationError(errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
        } catch VigilError.conflict(_, let detail, _) {
            throw ValidationError(detail)
        } catch VigilError.notFound(let detail) {
            throw ValidationError(detail)
        }
    }

    /// The first line of standard input, for secrets that must not be flags (they show in `ps`).
    static func secretFromStandardInput(_ given: Bool, what: String) throws -> String {
        guard given else { throw ValidationError("pass --\(what)-stdin and the \(what) on standard input") }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no \(what) on standard input") }
        return line
    }
}
