import Testing
@testable import Gloss

/// Page keys find articles' positions by identity (`IdentityIndex`).
struct IdentityIndexTests {
    final class Item {}

    @Test func findsEveryObjectAndNoOther() {
        for count in [0, 1, 7, 8, 9, 1_000, 4_097] {
            let items = (0..<count).map { _ in Item() }
            let index = IdentityIndex(items)
            for (position, item) in items.enumerated() { #expect(index[item] == position) }
            let stranger = Item()
            #expect(index[stranger] == nil, "an object not listed, among \(count)")
            withExtendedLifetime(items) {}
        }
    }

    @Test func anObjectListedTwiceKeepsItsFirstPosition() {
        let a = Item(), b = Item()
        let index = IdentityIndex([a, b, a])
        #expect(index[a] == 0 && index[b] == 1)
    }
}
