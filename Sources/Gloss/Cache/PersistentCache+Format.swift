import Foundation

/// The cache file (see `RecordFile`): records, and a directory that names
/// what made the file and where each section's records are:
///
///     format version, toolIdentity, output folder identity, pack generation (optional)
///     environment key (optional)
///     records of the source files:  path, stamp, racy, entity?, article?, diagnostics
///     of the annotations:           path, stamp, diagnostics, html, excerpts, claim positions, lede, words, text
///     of the descriptions:          path, stamp, html
///     of the feeds:                 output path, key, text
///     of the data items:            name, key, text (items of entities.json and claims.json)
///     the search index:             see `encodeSearch`
///     one record:                   page keys, published files, related lists, the
///                                   graph's co-mentions, the sitemap's key (see `encodeTail`)
///
/// Each record is named by its place, length, checksum and the bytes of the
/// pack its texts take.
///
/// Texts (articles' Markdown, HTML and text, feeds, export items, the
/// search index's packed parts) are not in the file but in its text pack,
/// named by the directory: each as its place there and the checksum of its
/// bytes. Without a pack (tests), they are inline.
extension PersistentCache {
    /// The file a fresh save writes, in memory.
    static func encode(_ cache: BuildCache, outputIdentity: Int, pack: TextSpill? = nil) -> [UInt8] {
        let file = RecordFile(fresh: -1)
        _ = file.finish(directory: encode(cache, outputIdentity: outputIdentity, pack: pack, into: file))
        return file.bytes
    }

    /// Adds `cache`'s records to `file` a chunk at a time (the file of a
    /// large archive is hundreds of megabytes, and holding it whole doubled
    /// a build's peak memory), and returns the directory that names them.
    static func encode(_ cache: BuildCache, outputIdentity: Int, pack: TextSpill?, into file: RecordFile) -> [UInt8] {
        var directory = ByteWriter()
        directory.write(formatVersion)
        directory.write(toolIdentity ?? "")
        directory.write(outputIdentity)
        directory.write(pack?.generation)
        directory.write(cache.environment)
        let loaded = cache.loaded
        // The last record depends on nothing before it, and is made on one
        // core: it is made on another while the sections are encoded.
        let tail = Background { encodeTail(cache, loaded: loaded) }
        let sources = cache.sources.entries.sortedByKey(known: loaded?.order(.sources))
        let oldSources = loaded.map { LoadedRecords.Finder($0, $0.contents.sources, keys: sources.map(\.key)) }
        directory.write(spans: records(sources, into: file, pack: pack, loaded: loaded, old: { index, item in
            oldSources?.old(at: index, item.key, madeFrom: .source(item.value.stamp, racy: item.value.racy), pack: pack)
        }) { item, writer in
            writer.write(item.key)
            writer.recordPath = item.key
            writer.write(item.value.stamp)
            writer.write(item.value.racy)
            writer.write(item.value.entity)
            writer.write(item.value.article)
            writer.write(item.value.diagnostics)
        })
        let annotations = cache.annotations.sortedByKey(known: loaded?.order(.annotations))
        let oldAnnotations = loaded.map { LoadedRecords.Finder($0, $0.contents.annotations, keys: annotations.map(\.key)) }
        directory.write(spans: records(annotations, into: file, pack: pack, loaded: loaded, old: { index, item in
            oldAnnotations?.old(at: index, item.key, madeFrom: .annotation(item.value.result.0, item.value.stamp), pack: pack)
        }) { item, writer in
            writer.write(item.key)
            writer.recordPath = item.key
            writer.write(item.value.stamp)
            writer.write(item.value.result.1)
            item.value.result.0.encodeAnnotation(to: &writer)
        })
        let descriptions = cache.descriptions.sortedByKey(known: loaded?.order(.descriptions))
        let oldDescriptions = loaded.map { LoadedRecords.Finder($0, $0.contents.descriptions, keys: descriptions.map(\.key)) }
        directory.write(spans: records(descriptions, into: file, pack: pack, loaded: loaded, old: { index, item in
            oldDescriptions?.old(at: index, item.key, madeFrom: nil, pack: pack)
        }) { item, writer in
            writer.write(item.key)
            writer.write(item.value.stamp)
            writer.write(item.value.html)
        })
        for (section, name) in [(cache.feeds, LoadedRecords.Section.feeds), (cache.data, .data)] {
            let items = section.sortedByKey(known: loaded?.order(name))
            let old = loaded.map { LoadedRecords.Finder($0, name == .feeds ? $0.contents.feeds : $0.contents.data, keys: items.map(\.key)) }
            // A reused item is its loaded record: its key and its text's place in the pack.
            directory.write(spans: records(items, into: file, pack: pack, loaded: loaded, old: { index, item in
                old?.old(at: index, item.key, madeFrom: LoadedRecords.keyedText(item.value.key, item.value.value, in: pack), pack: pack)
            }) { item, writer in
                writer.write(item.key)
                writer.write(item.value.key)
                writer.write(text: item.value.value)
            })
        }
        encodeSearch(cache.search, into: file, directory: &directory, pack: pack, loaded: loaded)
        let oldTail = loaded.map { LoadedRecords.Finder($0, $0.contents.tail, keys: [0]) }
        directory.write(spans: records([tail.value], into: file, pack: pack, loaded: loaded, old: { index, _ in
            oldTail?.old(at: index, 0, madeFrom: nil, pack: pack)
        }) { bytes, writer in bytes.withUnsafeBytes { writer.append(raw: $0) } })
        return directory.bytes
    }

    /// Texts are read from `pack`, which must be the pack the directory names.
    ///
    /// The cache keeps the order of its sections and, with `file` (the
    /// descriptor `buffer` was read from), where its records are
    /// (`BuildCache.loaded`).
    ///
    /// With the `mapping` that holds `buffer`, the late sections are decoded
    /// after this returns (`LateSections`).
    static func decode(_ buffer: Buffer, outputIdentity: Int, pack: TextSpill? = nil, file: Int32 = -1,
                       mapping: Mapping? = nil) throws -> BuildCache {
        guard let place = RecordFile.directory(in: buffer.bytes) else { throw ByteReader.Damaged() }
        // Shared by every record's reader; dropped with them once decoded.
        var reader = try ByteReader(buffer.bytes, pack: pack, strings: SharedStrings()).record(place.range, checksum: place.checksum)
        guard try reader.read(Int.self) == formatVersion, let tool = toolIdentity, try reader.read(String.self) == tool else {
            throw ByteReader.Damaged()
        }
        let sameOutput = try reader.read(Int.self) == outputIdentity && outputIdentity != -1
        guard try reader.read(Int?.self) == pack?.generation else { throw ByteReader.Damaged() }
        var cache = BuildCache()
        var contents = LoadedRecords.Contents()
        cache.environment = try reader.read()
        let size = buffer.bytes.count
        let sourceSpans = try reader.readSpans(in: size), annotationSpans = try reader.readSpans(in: size)
        let descriptionSpans = try reader.readSpans(in: size), feedSpans = try reader.readSpans(in: size)
        let dataSpans = try reader.readSpans(in: size)
        let search = try SearchDirectory(&reader, in: size)
        let tailSpans = try reader.readSpans(in: size)
        guard tailSpans.count == 1, reader.atEnd else { throw ByteReader.Damaged() }
        let live = place.range.count + [sourceSpans, annotationSpans, descriptionSpans, feedSpans, dataSpans, search.documents,
                                        search.postings, search.shards, tailSpans].joined().reduce(0) { $0 + $1.range.count }
        // The last record is read on another core while the sections are: it is one record, read on one.
        let strings = reader.strings
        // 66,000 distinct strings for 11,550 source files (paths, slugs, ids, output paths).
        strings?.reserve(6 * sourceSpans.count)
        let tailJob = Background {
            Result {
                var tail = try ByteReader(buffer.bytes, pack: pack, strings: strings)
                    .record(tailSpans[0].range, checksum: tailSpans[0].checksum)
                return try decodeTail(&tail, sameOutput: sameOutput)
            }
        }
        // It reads the mapped file: decoding never returns before it ends.
        defer { _ = tailJob.value }
        contents.tail.append(0, (nil, tailSpans[0]))
        let entries = try records(buffer, sourceSpans, reader) { reader in
            let path = try reader.readShared()
            reader.recordPath = path
            return (path, SourceCache.Entry(stamp: try reader.read(), racy: try reader.read(), entity: try reader.read(),
                                            article: try reader.read(ArticleSource?.self),
                                            diagnostics: try reader.read()))
        }
        cache.sources.entries.reserveCapacity(entries.count)
        for ((path, entry), span) in zip(entries, sourceSpans) {
            cache.sources.entries[path] = entry
            contents.sources.append(path, (.source(entry.stamp, racy: entry.racy), span))
        }
        let sources = cache.sources.entries
        let annotations = try records(buffer, annotationSpans, reader) { reader -> (String, BuildCache.Annotation?) in
            let path = try reader.readShared(), stamp: FileStamp = try reader.read()
            reader.recordPath = path
            let diagnostics: [Diagnostic] = try reader.read()
            // Annotated from the file as it was then; the cache keeps its source once.
            guard let entry = sources[path], entry.stamp == stamp, let source = entry.article else {
                reader.skipToEnd()
                return (path, nil)
            }
            return (path, (stamp, (try AnnotatedArticle(source: source, annotationFrom: &reader), diagnostics)))
        }
        cache.annotations.reserveCapacity(annotations.count)
        for ((path, annotation), span) in zip(annotations, annotationSpans) {
            guard let annotation else { continue }
            cache.annotations[path] = annotation
            contents.annotations.append(path, (.annotation(annotation.result.0, annotation.stamp), span))
        }
        let descriptions = try records(buffer, descriptionSpans, reader) { reader in
            (try reader.read(String.self), (stamp: try reader.read(FileStamp.self), html: try reader.read(String.self)))
        }
        cache.descriptions = Dictionary(descriptions, uniquingKeysWith: { $1 })
        for ((path, _), span) in zip(descriptions, descriptionSpans) { contents.descriptions.append(path, (nil, span)) }
        let late = LateDirectory(feeds: feedSpans, data: dataSpans, search: search)
        if let mapping {
            // Read on another core while the build goes on; damaged, they are taken as empty.
            cache.late = Background { withExtendedLifetime(mapping) {
                try? decodeLate(mapping.buffer, late, pack: pack, strings: strings, published: sameOutput)
            } }
        } else {
            let sections = try decodeLate(buffer, late, pack: pack, strings: strings, published: sameOutput)
            (cache.feeds, cache.data, cache.search) = (sections.feeds, sections.data, sections.search)
            contents.take(late: sections.records)
        }
        let tail = try tailJob.value.get()
        cache.pages = tail.pages
        // A cache is saved only after a build that succeeded: its page keys
        // were made from its source files.
        if !cache.pages.structures.isEmpty { cache.pages.versions = SourceVersions(cache.sources) }
        cache.published = tail.published
        cache.graph = tail.graph
        cache.sitemap = tail.sitemap
        contents.orders.merge(tail.orders) { $1 }
        cache.loaded = LoadedRecords(file: file, pack: pack, contents: contents, late: cache.late,
                                     directory: LoadedRecords.Span(range: place.range, checksum: place.checksum, packed: 0), live: live)
        return cache
    }

    /// A record as encoding makes it, or one the file already holds.
    private enum Made: Sendable {
        case new(bytes: [UInt8], checksum: Int, packed: Int)
        case kept(LoadedRecords.Span)
    }

    /// Adds the records of `items` to `file`, encoded in parallel a chunk at
    /// a time, and returns where they are.
    ///
    /// `old` gives an item's record in the loaded file, if it had one: one
    /// made from what the item is made from is not encoded (its bytes are
    /// copied, or in place named again); any other is named again in place
    /// when encoding makes the same bytes.
    static func records<Item: Sendable>(_ items: [Item], into file: RecordFile, pack: TextSpill?, loaded: LoadedRecords?,
                                        old: (@Sendable (Int, Item) -> (span: LoadedRecords.Span, same: Bool)?)? = nil,
                                        _ encode: @Sendable (Item, inout ByteWriter) -> Void) -> [LoadedRecords.Span] {
        var spans: [LoadedRecords.Span] = []
        spans.reserveCapacity(items.count)
        let inPlace = file.appending
        var start = 0
        while start < items.count {
            let chunk = Array(start..<min(start + 512, items.count))
            for made in chunk.parallelMap({ index -> Made in
                let item = items[index], previous = old?(index, item)
                if let previous, previous.same {
                    if inPlace { return .kept(previous.span) }
                    if let copied = loaded?.copy(previous.span) {
                        return .new(bytes: copied.bytes, checksum: copied.checksum, packed: copied.packed)
                    }
                }
                var record = ByteWriter(pack: pack)
                encode(item, &record)
                let checksum = record.bytes.withUnsafeBytes(ByteReader.checksum)
                if inPlace, let span = previous?.span, span.range.count == record.bytes.count, span.checksum == checksum {
                    return .kept(span)
                }
                return .new(bytes: record.bytes, checksum: checksum, packed: record.packed)
            }) {
                switch made {
                case .kept(let span):
                    file.keep(span)
                    spans.append(span)
                case .new(let bytes, let checksum, let packed):
                    spans.append(file.add(bytes, checksum: checksum, packed: packed))
                }
            }
            start += chunk.count
        }
        return spans
    }

    /// Decodes the records at `spans` in parallel; `reader` gives the pack
    /// and shared strings.
    ///
    /// Each record is decoded straight into what the caller keeps: a second
    /// pass to reshape the values copied every field of every one.
    static func records<Output: Sendable>(_ buffer: Buffer, _ spans: [LoadedRecords.Span], _ reader: ByteReader,
                                          _ decode: @Sendable (inout ByteReader) throws -> Output) throws -> [Output] {
        let pack = reader.pack, strings = reader.strings
        var values: [Output] = []
        values.reserveCapacity(spans.count)
        // A chunk at a time, each chunk's pages released once decoded: a
        // section of a large archive's cache is gigabytes.
        for start in stride(from: 0, to: spans.count, by: 2048) {
            let chunk = Array(spans[start..<min(start + 2048, spans.count)])
            // In slices, each read in order by one worker with its own table
            // of recent strings. Not `try?`: it would flatten a decoder's own
            // optional result.
            let slices = stride(from: 0, to: chunk.count, by: 256).map { $0..<min($0 + 256, chunk.count) }
            let decoded = slices.parallelMap { slice -> [Result<Output, Error>] in
                func read(_ recent: RecentStrings?) -> [Result<Output, Error>] {
                    chunk[slice].map { span in
                        Result {
                            var record = try ByteReader(buffer.bytes, pack: pack, strings: strings, recent: recent)
                                .record(span.range, checksum: span.checksum)
                            let value = try decode(&record)
                            guard record.atEnd else { throw ByteReader.Damaged() }
                            return value
                        }
                    }
                }
                return strings.map { $0.withRecent(read) } ?? read(nil)
            }
            for slice in decoded { for result in slice { values.append(try result.get()) } }
            // Records saved in place may come after ones not yet read; those are read again from the file.
            buffer.release(before: chunk.map(\.range.upperBound).max()!)
        }
        return values
    }
}
