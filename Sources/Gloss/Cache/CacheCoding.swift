/// The binary form of what the persistent cache stores: decoded sources,
/// annotated articles and their diagnostics. Fields are written in
/// declaration order; `PersistentCache.formatVersion` names this layout.

/// Most locations in a record are in the file the record is about: their
/// path is then a flag, and decoded as one shared string.
extension SourceLocation: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        let shared = path == writer.recordPath
        writer.write(shared)
        if !shared { writer.write(path) }
        writer.write(line)
        writer.write(column)
    }

    init(from reader: inout ByteReader) throws {
        let path = try reader.read(Bool.self) ? reader.recordPath : try reader.readShared()
        guard let path else { throw ByteReader.Damaged() }
        self.init(path: path, line: try reader.read(), column: try reader.read())
    }
}

extension Located: CacheCodable where Value == String {
    func encode(to writer: inout ByteWriter) {
        writer.write(value)
        writer.write(location)
    }

    /// Located values are names (ids, slugs, references to entities),
    /// which other records repeat.
    init(from reader: inout ByteReader) throws {
        self.init(try reader.readShared(), at: try reader.read())
    }
}

extension SimpleDate: CacheCodable {
    func encode(to writer: inout ByteWriter) { writer.write(year * 10_000 + month * 100 + day) }

    init(from reader: inout ByteReader) throws {
        let packed: Int = try reader.read()
        guard let date = SimpleDate(year: packed / 10_000, month: packed / 100 % 100, day: packed % 100) else { throw ByteReader.Damaged() }
        self = date
    }
}

extension EntityKind: CacheCodable {
    func encode(to writer: inout ByteWriter) { writer.write(rawValue) }

    init(from reader: inout ByteReader) throws {
        guard let kind = EntityKind(rawValue: try reader.read()) else { throw ByteReader.Damaged() }
        self = kind
    }
}

extension Diagnostic: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(severity == .error)
        writer.write(location)
        writer.write(message)
        writer.write(suggestion)
    }

    init(from reader: inout ByteReader) throws {
        let severity: Severity = try reader.read() ? .error : .warning
        let location: SourceLocation? = try reader.read()
        self.init(severity, try reader.read(String.self), at: location, suggestion: try reader.read())
    }
}

extension FileStamp: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(Int(modified))
        writer.write(Int(size))
        writer.write(Int(bitPattern: UInt(inode)))
        writer.write(digest)
    }

    init(from reader: inout ByteReader) throws {
        self.init(modified: Int64(try reader.read() as Int), size: Int64(try reader.read() as Int),
                  inode: UInt64(UInt(bitPattern: try reader.read() as Int)), digest: try reader.read())
    }
}

extension ReviewSource: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(rating)
        writer.write(by)
        writer.write(note)
    }

    init(from reader: inout ByteReader) throws {
        self.init(rating: try reader.read(), by: try reader.read(), note: try reader.read())
    }
}

extension ClaimSource: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(id)
        writer.write(quote)
        writer.write(prefix)
        writer.write(suffix)
        writer.write(by)
        writer.write(about)
        writer.write(date)
        writer.write(source)
        writer.write(context)
        writer.write(review)
    }

    convenience init(from reader: inout ByteReader) throws {
        // Each quote is its own: not looked up among the shared strings.
        self.init(id: try reader.read(), quote: Located(try reader.read(String.self), at: try reader.read()),
                  prefix: try reader.read(), suffix: try reader.read(),
                  by: try reader.read(), about: try reader.read(), date: try reader.read(), source: try reader.read(),
                  context: try reader.read(), review: try reader.read())
    }
}

extension ArticleSource: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(path)
        writer.write(slug)
        writer.write(title)
        writer.write(date)
        writer.write(author)
        writer.write(summary)
        writer.write(tags)
        writer.write(draft)
        let kinds = about.keys.sorted { $0.rawValue < $1.rawValue }
        writer.write(kinds)
        for kind in kinds { writer.write(about[kind]!) }
        writer.write(claims)
        writer.write(text: storedBody)
        writer.write(bodyLineOffset)
    }

    convenience init(from reader: inout ByteReader) throws {
        let path = try reader.readShared(), slug: Located<String> = try reader.read(), title: String = try reader.read()
        let date: SimpleDate = try reader.read(), author: Located<String>? = try reader.read()
        let summary: String? = try reader.read(), tags: [String] = try reader.read(), draft: Bool = try reader.read()
        let kinds = try reader.read([EntityKind].self)
        // Sized once: growing it was a third of making it, 10,000 times over.
        var about = [EntityKind: [Located<String>]](minimumCapacity: kinds.count)
        // Typed: assigning to a subscript would read an optional.
        for kind in kinds { about[kind] = try reader.read([Located<String>].self) }
        self.init(path: path, slug: slug, title: title, date: date, author: author, summary: summary, tags: tags,
                  draft: draft, about: about, claims: try reader.read(), body: try reader.readText(),
                  bodyLineOffset: try reader.read())
    }
}

extension EntitySource.Fact: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(label)
        writer.write(value)
    }

    init(from reader: inout ByteReader) throws { self.init(label: try reader.read(), value: try reader.read()) }
}

extension EntitySource: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(kind)
        writer.write(id)
        writer.write(path)
        writer.write(name)
        writer.write(aliases)
        writer.write(description)
        writer.write(sameAs)
        writer.write(signed)
        writer.write(inForce)
        writer.write(expires)
        writer.write(status)
        writer.write(parties)
        writer.write(facts)
        writer.write(body)
        writer.write(bodyLineOffset)
    }

    convenience init(from reader: inout ByteReader) throws {
        self.init(kind: try reader.read(), id: try reader.readShared(), path: try reader.readShared(), name: try reader.read(),
                  aliases: try reader.read(), description: try reader.read(), sameAs: try reader.read(),
                  signed: try reader.read(), inForce: try reader.read(), expires: try reader.read(),
                  status: try reader.read(), parties: try reader.read(), facts: try reader.read(),
                  body: try reader.read(), bodyLineOffset: try reader.read())
    }
}

extension SiteGraph.Excerpts {
    static func encode(_ excerpts: [SiteGraph.Excerpts], to writer: inout ByteWriter) {
        writer.write(excerpts.count)
        for excerpt in excerpts {
            writer.write(excerpt.id)
            writer.write(stored: excerpt.passages)
            writer.write(excerpt.isAbout)
            writer.write(excerpt.mentionCount)
        }
    }

    static func decodeList(from reader: inout ByteReader) throws -> [SiteGraph.Excerpts] {
        try (0..<reader.readCount()).map { _ in
            SiteGraph.Excerpts(id: try reader.readShared(), passages: try reader.readStoredBytes(), isAbout: try reader.read(),
                               mentionCount: try reader.read())
        }
    }
}

extension AnnotatedArticle {
    /// Everything but the source, which the cache stores once, with the file.
    func encodeAnnotation(to writer: inout ByteWriter) {
        writer.write(text: storedHTML)
        SiteGraph.Excerpts.encode(excerpts, to: &writer)
        writer.write(claimOrder)
        writer.write(lede)
        writer.write(wordCount)
        writer.write(text: storedText)
    }

    convenience init(source: ArticleSource, annotationFrom reader: inout ByteReader) throws {
        let html = try reader.readText(), excerpts = try SiteGraph.Excerpts.decodeList(from: &reader)
        let claimOrder: [Int] = try reader.read()
        guard claimOrder.allSatisfy(source.claims.indices.contains) else { throw ByteReader.Damaged() }
        self.init(source: source, html: html, excerpts: excerpts, claimOrder: claimOrder, lede: try reader.read(),
                  wordCount: try reader.read(), text: try reader.readText())
    }
}

extension OutputFile: CacheCodable {
    func encode(to writer: inout ByteWriter) {
        writer.write(path)
        writer.write(contents)
    }

    init(from reader: inout ByteReader) throws { self.init(path: try reader.read(), contents: try reader.read()) }
}
