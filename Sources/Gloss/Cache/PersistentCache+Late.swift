import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The sections of a loaded cache that only the machine outputs read:
/// feeds, export items and the search index, a third of loading the cache.
/// A build that loads its cache from the file decodes them on another core
/// while it checks, annotates and renders (`BuildCache.late`).
struct LateSections: Sendable {
    var feeds: ReuseCache<StoredText> = [:]
    var data: ReuseCache<StoredText> = [:]
    var search = SearchIndex.Cache()
    /// Their records, for the next save (the other sections' are left empty).
    var records = LoadedRecords.Contents()
}

extension PersistentCache {
    /// Where the late sections' records are.
    struct LateDirectory: Sendable {
        let feeds: [LoadedRecords.Span], data: [LoadedRecords.Span]
        let search: SearchDirectory
    }

    /// `published`: whether the output folder is the one the cache's build wrote.
    static func decodeLate(_ buffer: Buffer, _ directory: LateDirectory, pack: TextSpill?, strings: SharedStrings?,
                           published: Bool) throws -> LateSections {
        let reader = ByteReader(buffer.bytes, pack: pack, strings: strings)
        var late = LateSections()
        // Feeds and export items wait in the pack, as a build's own do in the spill.
        func texts(_ spans: [LoadedRecords.Span], into records: inout LoadedRecords.Records<String>) throws -> ReuseCache<StoredText> {
            let items = try Self.records(buffer, spans, reader) { reader in
                let name: String = try reader.read(), key: Int = try reader.read()
                return (name, (key: key, value: try reader.readText()))
            }
            for ((name, item), span) in zip(items, spans) {
                records.append(name, (LoadedRecords.keyedText(item.key, item.value, in: pack), span))
            }
            return Dictionary(items, uniquingKeysWith: { $1 })
        }
        late.feeds = try texts(directory.feeds, into: &late.records.feeds)
        late.data = try texts(directory.data, into: &late.records.data)
        late.search = try decodeSearch(buffer, directory.search, reader, published: published, into: &late.records)
        return late
    }

    /// A mapped cache file, unmapped when the last decoder is done with it.
    final class Mapping: @unchecked Sendable {  // immutable; the bytes are only read
        let buffer: Buffer
        init(_ buffer: Buffer) { self.buffer = buffer }
        deinit { munmap(UnsafeMutableRawPointer(mutating: buffer.bytes.baseAddress), buffer.bytes.count) }
    }
}
