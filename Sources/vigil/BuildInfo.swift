/// What `vigil --version` prints. A development build says `development`; `scripts/package.sh`
/// writes the commit into its own copy of this file before the release build.
enum BuildInfo {
    static let version = "0.22.0"
    static let commit = "development"

    static var description: String { "vigil \(Self.version) (\(Self.commit))" }
}
