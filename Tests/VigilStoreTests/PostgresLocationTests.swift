import Testing
import VigilPostgres

/// `VIGIL_DATABASE_URL` parsing for PostgreSQL; needs no server.
@Suite struct PostgresLocationTests {
    @Test func parsesEveryPart() throws {
        let location = try #require(try PostgresLocation(url: "postgres://vigil:p%40ss%2Fword@db.internal:6543/audit?sslmode=require"))
        #expect(location.host == "db.internal")
        #expect(location.port == 6543)
        #expect(location.username == "vigil")
        #expect(location.password == "p@ss/word")
        #expect(location.database == "audit")
        #expect(location.sslMode == .require)
        #expect(!location.description.contains("p@ss"))
        #expect(!location.description.contains("p%40ss"))
    }

    @Test func defaultsAndSchemes() throws {
        let location = try #require(try PostgresLocation(url: "postgresql://vigil@localhost/vigil"))
        #expect(location.port == 5432)
        #expect(location.password == nil)
        #expect(location.sslMode == .prefer)
        #expect(try PostgresLocation(url: "sqlite:///tmp/x.sqlite") == nil)
        // Off this host the default verifies the server; plain text must be asked for.
        #expect(try PostgresLocation(url: "postgres://vigil@db.internal/vigil")?.sslMode == .verifyFull)
        #expect(try PostgresLocation(url: "postgres://vigil@127.0.0.1/vigil")?.sslMode == .prefer)
        #expect(try PostgresLocation(url: "postgres://vigil@[::1]/vigil")?.sslMode == .prefer)
        #expect(try PostgresLocation(url: "postgres://vigil@db.internal/vigil?sslmode=disable")?.sslMode == .disable)
    }

    @Test(arguments: [
        "postgres://vigil@localhost/vigil?sslmode=sometimes",
        "postgres://vigil@localhost/",
        "postgres://localhost/vigil",
        "postgres://vigil@localhost/vigil?pool=3",
        "postgres://vigil@/vigil",
        "postgres://vigil@db/vigil?sslmode=verify-full&sslrootcert=/no/such/ca.pem",
    ])
    func rejectsMalformedURLs(url: String) {
        #expect(throws: PostgresLocationError.self) { _ = try PostgresLocation(url: url) }
    }
}
