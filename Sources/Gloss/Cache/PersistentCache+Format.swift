import Foundation

/// The cache file: a header (what made it), the environment key, then one
/// section per kind of entry. The large sections are length-prefixed
/// records, written and read on all cores.
///
/// Texts (articles' Markdown, HTML and text, feeds, export items, the
/// search index's packed parts) are not in the file but in its text pack,
/// named by the header: each as its place there and the checksum of its
/// bytes. Without a pack (tests), they are inline.
///
///     magic, formatVersion, toolIdentity, output folder identity, pack generation (optional)
///     environment key (optional)
///     source files:    path, stamp, racy, entity?, article?, diagnostics
///     annotations:     path, stamp, diagnostics, html, excerpts, claim positions, lede, words, text
///     descriptions:    path, stamp, html
///     feeds:           output path, key, text
///     data items:      name, key, text (items of entities.json and claims.json)
///     search index:    see `encodeSearch`
///     one record:      page keys, published files, related lists, the
///                      graph's co-mentions, the sitemap's key (see `encodeTail`)
///
/// Every record carries a checksum of its bytes.
extension PersistentCache {
    static func encode(_ cache: BuildCache, outputIdentity: Int, pack: TextSpill? = nil) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(cache, outputIdentity: outputIdentity, pack: pack) { bytes += $0 }
        return bytes
    }

    /// Encodes `cache` a piece at a time into `output`: the file of a large
    /// archive is hundreds of megabytes, and holding it whole doubled a
    /// build's peak memory.
    ///
    /// Returns how many bytes of the pack the cache's texts take.
    @discardableResult
    static func encode(_ cache: BuildCache, outputIdentity: Int, pack: TextSpill?, to output: ([UInt8]) -> Void) -> Int {
        var writer = ByteWriter(pack: pack)
        writer.write(magic)
        writer.write(formatVersion)
        writer.write(toolIdentity ?? "")
        writer.write(outputIdentity)
        writer.write(pack?.generation)
        writer.write(cache.environment)
        let loaded = cache.loaded
        // The last record depends on nothing before it, and is made on one
        // core: it is made on another while the sections are encoded.
        let tail = Background { encodeTail(cache, loaded: loaded) }
        let sources = cache.sources.entries.sortedByKey(known: loaded?.order(.sources))
        let oldSources = loaded.map { LoadedRecords.Finder($0, $0.contents.sources, keys: sources.map(\.key)) }
        records(sources, into: &writer, output, copying: { index, item, pack in
            oldSources?.copy(at: index, item.key, madeFrom: .source(item.value.stamp, racy: item.value.racy), pack: pack)
        }) { item, writer in
            writer.write(item.key)
            writer.recordPath = item.key
            writer.write(item.value.stamp)
            writer.write(item.value.racy)
            writer.write(item.value.entity)
            writer.write(item.value.article)
            writer.write(item.value.diagnostics)
        }
        let annotations = cache.annotations.sortedByKey(known: loaded?.order(.annotations))
        let oldAnnotations = loaded.map { LoadedRecords.Finder($0, $0.contents.annotations, keys: annotations.map(\.key)) }
        records(annotations, into: &writer, output, copying: { index, item, pack in
            oldAnnotations?.copy(at: index, item.key, madeFrom: .annotation(item.value.result.0, item.value.stamp), pack: pack)
        }) { item, writer in
            writer.write(item.key)
            writer.recordPath = item.key
            writer.write(item.value.stamp)
            writer.write(item.value.result.1)
            item.value.result.0.encodeAnnotation(to: &writer)
        }
        records(cache.descriptions.sortedByKey(known: loaded?.order(.descriptions)), into: &writer, output) { item, writer in
            writer.write(item.key)
            writer.write(item.value.stamp)
            writer.write(item.value.html)
        }
        for (section, name) in [(cache.feeds, LoadedRecords.Section.feeds), (cache.data, .data)] {
            records(section.sortedByKey(known: loaded?.order(name)), into: &writer, output) { item, writer in
                writer.write(item.key)
                writer.write(item.value.key)
                writer.write(text: item.value.value)
            }
        }
        encodeSearch(cache.search, into: &writer, output, loaded: loaded)
        // The rest is one record, so it is checked like the others.
        writer.appendRecord(tail.value)
        output(writer.bytes)
        return writer.packed
    }

    /// Texts are read from `pack`, which must be the pack the header names.
    ///
    /// The cache keeps the order of its sections and, with `file` (the
    /// descriptor `buffer` was read from), where its records are
    /// (`BuildCache.loaded`).
    static func decode(_ buffer: Buffer, outputIdentity: Int, pack: TextSpill? = nil, file: Int32 = -1) throws -> BuildCache {
        // Shared by every record's reader; dropped with them once decoded.
        var reader = ByteReader(buffer.bytes, pack: pack, strings: SharedStrings())
        guard try reader.read(String.self) == magic, try reader.read(Int.self) == formatVersion,
              let tool = toolIdentity, try reader.read(String.self) == tool else { throw ByteReader.Damaged() }
        let sameOutput = try reader.read(Int.self) == outputIdentity && outputIdentity != -1
        guard try reader.read(Int?.self) == pack?.generation else { throw ByteReader.Damaged() }
        var cache = BuildCache()
        var contents = LoadedRecords.Contents()
        cache.environment = try reader.read()
        // The last record is found by skipping the sections' records, and
        // read on another core while they are: it is one record, read on one.
        var ahead = reader
        try skipSections(&ahead)
        let (tailRange, tailChecksum) = try ahead.skipRecord()
        guard ahead.atEnd else { throw ByteReader.Damaged() }
        let strings = reader.strings
        let tailJob = Background {
            Result {
                var tail = try ByteReader(buffer.bytes, pack: pack, strings: strings).record(tailRange, checksum: tailChecksum)
                return try decodeTail(&tail, sameOutput: sameOutput)
            }
        }
        // It reads the mapped file: decoding never returns before it ends.
        defer { _ = tailJob.value }
        let entries = try spannedRecords(buffer, &reader) { reader in
            let path = try reader.readShared()
            reader.recordPath = path
            return (path, SourceCache.Entry(stamp: try reader.read(), racy: try reader.read(), entity: try reader.read(),
                                            article: try reader.read(ArticleSource?.self),
                                            diagnostics: try reader.read()))
        }
        cache.sources.entries.reserveCapacity(entries.count)
        for ((path, entry), span) in entries {
            cache.sources.entries[path] = entry
            contents.sources.append(path, (.source(entry.stamp, racy: entry.racy), span))
        }
        let sources = cache.sources.entries
        let annotations = try spannedRecords(buffer, &reader) { reader -> (String, BuildCache.Annotation)? in
            let path = try reader.readShared(), stamp: FileStamp = try reader.read()
            reader.recordPath = path
            let diagnostics: [Diagnostic] = try reader.read()
            // Annotated from the file as it was then; the cache keeps its source once.
            guard let entry = sources[path], entry.stamp == stamp, let source = entry.article else {
                reader.skipToEnd()
                return nil
            }
            return (path, (stamp, (try AnnotatedArticle(source: source, annotationFrom: &reader), diagnostics)))
        }
        cache.annotations = Dictionary(annotations.compactMap(\.value), uniquingKeysWith: { $1 })
        for (value, span) in annotations {
            guard let (path, annotation) = value else { continue }
            contents.annotations.append(path, (.annotation(annotation.result.0, annotation.stamp), span))
        }
        let descriptions = try records(buffer, &reader) { reader in
            (try reader.read(String.self), (stamp: try reader.read(FileStamp.self), html: try reader.read(String.self)))
        }
        cache.descriptions = Dictionary(descriptions, uniquingKeysWith: { $1 })
        contents.orders[.descriptions] = descriptions.map(\.0)
        // Feeds and export items wait in the file, as a build's own do in the spill.
        func texts(_ section: LoadedRecords.Section) throws -> ReuseCache<StoredText> {
            let items = try records(buffer, &reader) { reader in
                let name: String = try reader.read(), key: Int = try reader.read()
                return (name, (key: key, value: try reader.readText()))
            }
            contents.orders[section] = items.map(\.0)
            return Dictionary(items, uniquingKeysWith: { $1 })
        }
        cache.feeds = try texts(.feeds)
        cache.data = try texts(.data)
        cache.search = try decodeSearch(buffer, &reader, published: sameOutput, into: &contents)
        guard try reader.skipRecord().range == tailRange else { throw ByteReader.Damaged() }
        let tail = try tailJob.value.get()
        cache.pages = tail.pages
        cache.published = tail.published
        cache.graph = tail.graph
        cache.sitemap = tail.sitemap
        contents.orders.merge(tail.orders) { $1 }
        cache.loaded = LoadedRecords(file: file, pack: pack, contents: contents)
        return cache
    }

    /// A reused output of either kind, so both sections share one writer.
    /// Writes a count, then each item as a length-prefixed record, encoded
    /// in parallel a chunk at a time and handed to `output` (with what
    /// `writer` held before).
    ///
    /// An item `copying` returns a record for is not encoded: its record is
    /// that one (the same bytes, taken from the file the cache was loaded from).
    static func records<Item: Sendable>(_ items: [Item], into writer: inout ByteWriter, _ output: ([UInt8]) -> Void,
                                        copying: (@Sendable (Int, Item, TextSpill?) -> LoadedRecords.Copied?)? = nil,
                                        _ encode: @Sendable (Item, inout ByteWriter) -> Void) {
        writer.write(items.count)
        var start = 0
        repeat {
            let chunk = Array(zip(start..., items[start..<min(start + 512, items.count)]))
            let pack = writer.pack
            for (record, checksum, packed) in chunk.parallelMap({ index, item -> ([UInt8], Int, Int) in
                if let copied = copying?(index, item, pack) { return (copied.bytes, copied.checksum, copied.packed) }
                var record = ByteWriter(pack: pack)
                encode(item, &record)
                return (record.bytes, record.bytes.withUnsafeBytes(ByteReader.checksum), record.packed)
            }) {
                writer.appendRecord(record, checksum: checksum)
                writer.addPacked(packed)
            }
            output(writer.takeBytes())
            start += chunk.count
        } while start < items.count
    }

    /// Reads a count of length-prefixed records and decodes them in parallel.
    static func records<Value: Sendable>(_ buffer: Buffer, _ reader: inout ByteReader,
                                         _ decode: @Sendable (inout ByteReader) throws -> Value) throws -> [Value] {
        try decodeRecords(buffer, &reader) { record, _ in try decode(&record) }
    }

    /// `records`, each value with its record's span.
    static func spannedRecords<Value: Sendable>(_ buffer: Buffer, _ reader: inout ByteReader,
                                                _ decode: @Sendable (inout ByteReader) throws -> Value) throws
        -> [(value: Value, span: LoadedRecords.Span)] {
        try decodeRecords(buffer, &reader) { record, item in
            let value = try decode(&record)
            return (value, LoadedRecords.Span(range: item.range, checksum: item.checksum, packed: record.packed))
        }
    }

    /// Each record decoded straight into what the caller keeps: a second
    /// pass to reshape the values copied every field of every one.
    private static func decodeRecords<Output: Sendable>(
        _ buffer: Buffer, _ reader: inout ByteReader,
        _ decode: @Sendable (inout ByteReader, (range: Range<Int>, checksum: Int)) throws -> Output) throws -> [Output] {
        let count = try reader.readCount(), pack = reader.pack, strings = reader.strings
        var records: [(range: Range<Int>, checksum: Int)] = []
        records.reserveCapacity(count)
        for _ in 0..<count { records.append(try reader.skipRecord()) }
        var values: [Output] = []
        values.reserveCapacity(count)
        // A chunk at a time, each chunk's pages released once decoded: a
        // section of a large archive's cache is gigabytes.
        for start in stride(from: 0, to: records.count, by: 2048) {
            let chunk = Array(records[start..<min(start + 2048, records.count)])
            // In slices, each read in order by one worker with its own table
            // of recent strings. Not `try?`: it would flatten a decoder's own
            // optional result.
            let slices = stride(from: 0, to: chunk.count, by: 256).map { $0..<min($0 + 256, chunk.count) }
            let decoded = slices.parallelMap { slice -> [Result<Output, Error>] in
                let recent = strings.map(RecentStrings.init)
                return chunk[slice].map { item in
                    Result {
                        var record = try ByteReader(buffer.bytes, pack: pack, strings: strings, recent: recent)
                            .record(item.range, checksum: item.checksum)
                        let value = try decode(&record, item)
                        guard record.atEnd else { throw ByteReader.Damaged() }
                        return value
                    }
                }
            }
            for slice in decoded { for result in slice { values.append(try result.get()) } }
            buffer.release(before: chunk.last!.range.upperBound)
        }
        return values
    }
}
