import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the cache file a build loaded holds, and where, so that saving
/// after a small edit does not encode and sort everything again:
///
/// - a record whose value is made from what it was made from last time
///   (the same annotation object, the same file stamp, the same search
///   document version, the same feed or export item key and text in the
///   pack) is not encoded: saved in place, the new directory names the old
///   record; written to a new file, its bytes are copied;
/// - any other record of a key the file held is encoded, and saved in place
///   it names the old record if the bytes are the same (length and checksum);
/// - a section whose keys are those of last time is written in the old
///   file's order (which is sorted), without sorting 80,000 keys again.
///
/// The bytes are read back through a descriptor opened at load time: a
/// save that writes the file anew renames another over it, and the
/// descriptor still reads the one loaded.
final class LoadedRecords: @unchecked Sendable {  // immutable after init; the descriptor is only read with pread
    /// What a record's value was made from. The same origin, the same bytes.
    enum Origin: Sendable {
        /// The very annotation decoded from the record (annotations are
        /// reused, not made again, while their file is unchanged).
        case annotation(AnnotatedArticle, FileStamp)
        /// The file's stamp, which covers a hash of its contents.
        case source(FileStamp, racy: Bool)
        /// The document's source version, in the search environment.
        case document(version: Int, environment: Int)
        /// A feed's or export item's key, and where its text is in the
        /// pack (`StoredText`): a record names no more than these and its key.
        case keyedText(key: Int, offset: Int, count: Int, checksum: Int)

        func same(as other: Origin) -> Bool {
            switch (self, other) {
            case let (.annotation(a, s), .annotation(b, t)): return a === b && s == t
            case let (.source(s, r), .source(t, q)): return s == t && r == q
            case let (.document(v, e), .document(w, f)): return v == w && e == f
            case let (.keyedText(k, o, c, s), .keyedText(l, p, d, t)): return k == l && o == p && c == d && s == t
            default: return false
            }
        }
    }

    /// What a record of a feed or export item (`key`, `text`) was made
    /// from, if its text is in `pack`.
    static func keyedText(_ key: Int, _ text: StoredText, in pack: TextSpill?) -> Origin? {
        guard let pack, let place = text.place(in: pack) else { return nil }
        return .keyedText(key: key, offset: place.offset, count: place.count, checksum: place.checksum)
    }

    /// Where a record is in the file, and the bytes of the pack its texts take.
    struct Span: Sendable {
        let range: Range<Int>
        let checksum: Int
        let packed: Int
    }

    /// A record's bytes, as another file takes them.
    struct Copied: Sendable {
        let bytes: [UInt8]
        let checksum: Int
        let packed: Int
    }

    /// The sections written in key order.
    enum Section: Sendable { case sources, annotations, descriptions, feeds, data, pages, related, published }

    /// One section's records, in file order.
    struct Records<Key: Hashable & Sendable>: Sendable {
        var keys: [Key] = []
        /// With what the value was made from, where the next build can tell.
        var records: [(origin: Origin?, span: Span)] = []

        mutating func append(_ key: Key, _ record: (origin: Origin?, span: Span)) {
            keys.append(key)
            records.append(record)
        }
    }

    /// Filled while decoding: arrays, not dictionaries, since hashing every
    /// key at load made loading slower by more than saving got faster.
    struct Contents: Sendable {
        var sources = Records<String>(), annotations = Records<String>(), documents = Records<SearchIndex.DocumentKey>()
        var descriptions = Records<String>(), feeds = Records<String>(), data = Records<String>()
        /// By position.
        var postings = Records<Int>(), shards = Records<Int>(), tail = Records<Int>()
        /// Keys of the sections without records of their own here.
        var orders: [Section: [String]] = [:]

        /// Takes the records of the late sections (`LateSections`).
        mutating func take(late: Contents) {
            (feeds, data, documents, postings, shards) = (late.feeds, late.data, late.documents, late.postings, late.shards)
        }
    }

    private let file: Int32
    /// The pack the records' texts are in, and its generation then: a record
    /// names its texts by their place in that pack.
    private let pack: TextSpill?
    private let generation: Int
    private let early: Contents
    /// The late sections' records, while they are decoded.
    private let late: Background<LateSections?>?
    var contents: Contents {
        guard let late = late?.value else { return early }
        var all = early
        all.take(late: late.records)
        return all
    }
    /// The directory the cache was read from.
    let directory: Span
    /// Bytes of the file the directory and its records take: the rest is
    /// what saves in place left behind.
    let live: Int

    /// `file`, the descriptor the cache was read from (duplicated here), or
    /// -1: then nothing is copied, and only the orders are of use.
    init(file: Int32, pack: TextSpill?, contents: Contents, late: Background<LateSections?>? = nil, directory: Span, live: Int) {
        self.file = file >= 0 && pack != nil ? fcntl(file, F_DUPFD_CLOEXEC, 0) : -1
        self.pack = pack
        generation = pack?.generation ?? 0
        early = contents
        self.late = late
        self.directory = directory
        self.live = live
    }

    deinit { if file >= 0 { close(file) } }

    /// The keys of `section` in the old file, in order.
    func order(_ section: Section) -> [String]? {
        switch section {
        case .sources: contents.sources.keys
        case .annotations: contents.annotations.keys
        case .descriptions: contents.descriptions.keys
        case .feeds: contents.feeds.keys
        case .data: contents.data.keys
        default: contents.orders[section]
        }
    }

    /// The loaded file, open for writing, if it is still the file at `path`
    /// and its records name texts in `pack` as it is now; nil if the file
    /// is more than half what no directory names (it is then written anew).
    func openForAppending(_ path: String, pack: TextSpill, slack: Int) -> (fd: Int32, end: Int)? {
        guard file >= 0, pack === self.pack, pack.generation == generation else { return nil }
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var loaded = stat(), now = stat()
        guard fstat(file, &loaded) == 0, fstat(fd, &now) == 0, loaded.st_dev == now.st_dev, loaded.st_ino == now.st_ino,
              Int(now.st_size) <= 2 * live + slack else {
            close(fd)
            return nil
        }
        return (fd, Int(now.st_size))
    }

    /// Finds the old records of a section's items, given the keys of the
    /// items to write in order: by position when they are the old keys (an
    /// edit), else by key.
    struct Finder<Key: Hashable & Sendable>: Sendable {
        let loaded: LoadedRecords
        let old: Records<Key>
        let positions: [Key: Int]?

        init(_ loaded: LoadedRecords, _ old: Records<Key>, keys: [Key]) {
            self.loaded = loaded
            self.old = old
            positions = keys == old.keys ? nil : Dictionary(zip(old.keys, old.keys.indices), uniquingKeysWith: { a, _ in a })
        }

        /// The old record of the item at `index`, whose key is `key`, if its
        /// texts are named in `pack` as it is now; `same`: its value was made
        /// from `origin`, so its bytes are what encoding the item makes.
        func old(at index: Int, _ key: Key, madeFrom origin: Origin?, pack: TextSpill?) -> (span: Span, same: Bool)? {
            guard let pack, pack === loaded.pack, pack.generation == loaded.generation,
                  let position = positions == nil ? index : positions?[key], position < old.records.count else { return nil }
            let record = old.records[position]
            let same = origin.map { record.origin?.same(as: $0) == true } ?? false
            return (record.span, same)
        }

        /// The old record's bytes, if its value was made from `origin`.
        func copy(at index: Int, _ key: Key, madeFrom origin: Origin?, pack: TextSpill?) -> Copied? {
            guard let hit = old(at: index, key, madeFrom: origin, pack: pack), hit.same else { return nil }
            return loaded.copy(hit.span)
        }
    }

    /// A record's bytes, read from the loaded file.
    func copy(_ span: Span) -> Copied? {
        guard file >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: span.range.count)
        let got = bytes.withUnsafeMutableBytes { pread(file, $0.baseAddress, span.range.count, off_t(span.range.lowerBound)) }
        guard got == span.range.count else { return nil }
        return Copied(bytes: bytes, checksum: span.checksum, packed: span.packed)
    }
}

extension Array where Element == String {
    /// These strings (distinct, in any order) sorted; `known`, when it holds
    /// exactly them: sorting 170,000 output paths took half a second.
    func sorted(known: [String]?) -> [String] {
        if let known, known.count == count {
            var table = StringTable(capacity: count)
            for string in known { _ = table.index(of: string) }
            if table.count == count, allSatisfy(table.contains) { return known }
        }
        return sorted()
    }
}

extension Dictionary where Key == String {
    /// The entries in key order (the cache file's order), sorting the keys
    /// alone: sorting the entries moved large values around, one retain
    /// and release per field, tens of thousands of times.
    ///
    /// `known`: the sorted keys of last time, used as they are when they
    /// are exactly this dictionary's keys.
    func sortedByKey(known: [String]? = nil) -> [(key: String, value: Value)] {
        if let known, known.count == count {
            var pairs: [(key: String, value: Value)] = []
            pairs.reserveCapacity(count)
            for key in known {
                guard let value = self[key] else { return sortedByKey() }
                pairs.append((key, value))
            }
            return pairs
        }
        return keys.sorted().map { ($0, self[$0]!) }
    }
}
