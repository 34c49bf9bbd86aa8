import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the cache file a build loaded holds each article's annotation
/// record. Saving copies the bytes of every annotation the build took over
/// as it was, instead of encoding its mentions and claims again: after a
/// one-article edit, that encoding was most of the save.
///
/// The bytes are read back through a descriptor opened at load time: the
/// build may have removed the cache file since (an in-place update does,
/// before it changes the output folder), and a save only ever renames a
/// new file over it, so the bytes behind the descriptor never change.
final class LoadedRecords: @unchecked Sendable {  // immutable after init; the descriptor is only read with pread
    struct Span: Sendable {
        /// The annotation decoded from the record, and its file's stamp.
        let article: AnnotatedArticle
        let stamp: FileStamp
        let range: Range<Int>
        let checksum: Int
        /// Bytes of the pack the record's texts take.
        let packed: Int
    }

    /// A record as `PersistentCache.records` appends it.
    struct Copied: Sendable {
        let bytes: [UInt8]
        let checksum: Int
        let packed: Int
    }

    private let file: Int32
    /// The pack the records' texts are in, and its generation then: a record
    /// names its texts by their place in that pack.
    private let pack: TextSpill
    private let generation: Int
    private let annotations: [String: Span]

    /// Nil when the descriptor cannot be duplicated.
    init?(file: Int32, pack: TextSpill, annotations: [String: Span]) {
        self.file = dup(file)
        guard self.file >= 0 else { return nil }
        self.pack = pack
        generation = pack.generation
        self.annotations = annotations
    }

    deinit { close(file) }

    /// The record of the annotation of `path`, when `annotation` is the one
    /// decoded from it and its texts are to be named in the same pack.
    func annotation(_ path: String, _ annotation: BuildCache.Annotation, pack: TextSpill?) -> Copied? {
        guard let pack, pack === self.pack, pack.generation == generation, let span = annotations[path],
              span.article === annotation.result.0, span.stamp == annotation.stamp else { return nil }
        var bytes = [UInt8](repeating: 0, count: span.range.count)
        let got = bytes.withUnsafeMutableBytes { pread(file, $0.baseAddress, span.range.count, off_t(span.range.lowerBound)) }
        guard got == span.range.count else { return nil }
        return Copied(bytes: bytes, checksum: span.checksum, packed: span.packed)
    }
}
