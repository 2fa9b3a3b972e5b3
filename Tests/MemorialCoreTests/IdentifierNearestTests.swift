import MemorialCore
import Testing

@Suite struct IdentifierNearestTests {
    @Test func aTypoInAnIdFindsTheIdsOneOrTwoEditsAway() {
        let ids = ["bukeikhanov-alikhan", "baitursynov-akhmet", "dulatov-myrzhakyp", "mailin-beimbet", "a"]
        #expect(Identifier.nearest(to: "mailin-beimbt", among: ids) == ["mailin-beimbet"])
        #expect(Identifier.nearest(to: "bukeikhanov-alikan", among: ids) == ["bukeikhanov-alikhan"])
        #expect(Identifier.nearest(to: "dulatov-myrzakyp", among: ids) == ["dulatov-myrzhakyp"])
        #expect(Identifier.nearest(to: "seifullin-saken", among: ids).isEmpty)
        #expect(Identifier.nearest(to: "", among: ids) == ["a"])
        #expect(Identifier.nearest(to: "ab", among: ["a", "abc", "xyz", "ba"]) == ["a", "abc", "ba"])
    }
}
