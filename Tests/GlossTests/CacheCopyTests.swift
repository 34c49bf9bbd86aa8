import Foundation
import Testing
@testable import Gloss

/// A save that copies records from the loaded cache file writes exactly the
/// bytes encoding writes, whatever happened since the load: edits, settings,
/// entity names, touched and racy files, removals, drafts.
@Suite(.serialized) struct CacheCopyTests {
    let builds = PersistentBuildTests()

    /// Loads the cache a real build saved, generates the next build from it in
    /// memory, and encodes that cache with and without copied records.
    func shadow(_ site: SiteFixture, _ label: String, drafts: Bool = false) throws {
        let output = site.output
        let (cache, pack) = PersistentCache.load(for: output)
        let texts = try #require(pack)
        #expect(cache.loaded != nil, "\(label): loaded")
        let generated = SiteBuilder(options: BuildOptions(source: site.root, includeDrafts: drafts))
            .generate(reusing: cache, spill: texts)
        var next = generated.cache
        let id = PersistentCache.identity(of: output.path)
        let copied = PersistentCache.encode(next, outputIdentity: id, pack: texts)
        next.loaded = nil
        let plain = PersistentCache.encode(next, outputIdentity: id, pack: texts)
        let same = copied == plain  // not in #expect: it would print both files
        #expect(same, "\(label): copied records differ from encoding (\(copied.count) vs \(plain.count) bytes)")
    }

    @Test func copiesEqualEncodingAfterEdits() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        try shadow(site, "unchanged")
        try builds.edit(site, "content/articles/2021/extension.md",
                        article("title: Extended\ndate: 2021-02-03", "Russia and the United States extended New START again.\n"))
        try shadow(site, "edited, not built")
        #expect(builds.build(site).succeeded)
        try shadow(site, "edited, built")
        try builds.edit(site, "site.yml", "title: Renamed\nbase_url: https://example.org/sub/\nlanguage: en\ndescription: Tests.\n")
        try shadow(site, "environment")
        #expect(builds.build(site).succeeded)
        try builds.edit(site, "content/places/vienna.md", "---\nname: Vienna\naliases: [Wien]\n---\n")
        try shadow(site, "registry")
        #expect(builds.build(site).succeeded)
        // Touched: another stamp, same digest.
        let file = site.root.appendingPathComponent("content/articles/2020/vienna.md")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: file.path)
        try shadow(site, "touched")
        #expect(builds.build(site).succeeded)
        try shadow(site, "touched, built")
        // Racy: built right after writing.
        try site.write("content/articles/new.md", Data(article("title: New\ndate: 2022-01-01", "Ryabkov in Vienna.\n").utf8))
        #expect(builds.build(site).succeeded)
        try shadow(site, "racy")
        try site.write("content/articles/new.md", Data(article("title: New\ndate: 2022-01-01", "Ryabkov in Moscow.\n").utf8))
        try shadow(site, "racy, rewritten")
        #expect(builds.build(site).succeeded)
        try shadow(site, "racy, rewritten, built")
        try builds.edit(site, "content/articles/draft.md", nil)
        try shadow(site, "deleted")
        #expect(builds.build(site).succeeded)
        try shadow(site, "drafts", drafts: true)
        #expect(try SiteBuildTests().snapshot(site.output) == builds.clean(site))
    }

    /// A feed's or export item's record is copied only for the item as it was
    /// loaded: its key, and its text at the same place in the pack. Another
    /// key for the same text, a text moved in the pack, or one held in
    /// memory is encoded.
    @Test func keyedTextsAreCopiedOnlyAsLoaded() throws {
        let site = try SiteFixture(SiteBuildTests.articles)
        defer { site.remove() }
        #expect(builds.build(site).succeeded)
        let (cache, pack) = PersistentCache.load(for: site.output)
        let texts = try #require(pack), records = try #require(cache.loaded)
        for (items, old) in [(cache.data, records.contents.data), (cache.feeds, records.contents.feeds)] {
            #expect(!items.isEmpty)
            let names = items.keys.sorted()
            let finder = LoadedRecords.Finder(records, old, keys: names)
            for (index, name) in names.enumerated() {
                let item = try #require(items[name])
                // An empty text (a whole file's own entry) has no place: always encoded.
                guard let origin = LoadedRecords.keyedText(item.key, item.value, in: texts) else {
                    #expect(item.value.value.isEmpty, "\(name)")
                    continue
                }
                #expect(finder.copy(at: index, name, madeFrom: origin, pack: texts) != nil, "\(name)")
                #expect(finder.copy(at: index, name, madeFrom: LoadedRecords.keyedText(item.key + 1, item.value, in: texts),
                                    pack: texts) == nil, "\(name): another key")
                let moved = texts.store(item.value.value)
                #expect(finder.copy(at: index, name, madeFrom: LoadedRecords.keyedText(item.key, moved, in: texts),
                                    pack: texts) == nil, "\(name): the text elsewhere in the pack")
                #expect(LoadedRecords.keyedText(item.key, StoredText(item.value.value), in: texts) == nil, "in memory")
            }
        }
    }
}
