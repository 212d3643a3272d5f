import Foundation
import Testing
import VigilCore

@Suite struct RuleStoreContractTests {
    @Test(arguments: StoreBackend.available)
    func rulesRoundTripAndNamesAreUnique(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let builtIn = Rule.builtIn(now: Fixtures.base)
            #expect(try await store.installRulesOnce(builtIn))
            #expect(try await !store.installRulesOnce(builtIn))
            #expect(try await store.rules() == builtIn)

            var custom = builtIn[1]
            custom.id = UUID.v7()
            custom.createdAt = Fixtures.base.adding(seconds: 1)
            await #expect(throws: VigilError.ruleNameTaken) { try await store.createRule(custom) }
            custom.name = "Custom: SSH root"
            custom.match = RuleMatch(typePrefixes: ["ssh."], actors: ["root"], ipRanges: [CIDRRange("10.0.0.0/8")!], details: ["port": "22"])
            try await store.createRule(custom)
            #expect(try await store.rule(id: custom.id) == custom)

            var renamed = custom
            renamed.name = "brute-force LOGIN"
            await #expect(throws: VigilError.ruleNameTaken) { _ = try await store.updateRule(renamed) }
            renamed.name = "Custom: SSH root, disabled"
            renamed.enabled = false
            renamed.threshold = nil
            renamed.updatedAt = Fixtures.base.adding(seconds: 5)
            #expect(try await store.updateRule(renamed) == custom)
            #expect(try await store.rule(id: custom.id) == renamed)

            // A deleted built-in rule is not installed again.
            #expect(try await store.deleteRule(id: builtIn[0].id) == builtIn[0])
            #expect(try await store.deleteRule(id: builtIn[0].id) == nil)
            #expect(try await !store.installRulesOnce(Rule.builtIn(now: Fixtures.base)))
            #expect(try await store.rules().map(\.name) == builtIn.dropFirst().map(\.name) + [renamed.name])
            #expect(try await store.updateRule(builtIn[0]) == nil)
        }
    }
}
