/// Splits text into search terms. `search.js` does exactly the same in the
/// browser: lowercase, accents removed, split on anything that is not a
/// letter or a digit, common English words dropped.
enum SearchTokenizer {
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have", "he", "her",
        "his", "in", "is", "it", "its", "of", "on", "or", "she", "that", "the", "their", "they", "this", "to",
        "was", "were", "which", "will", "with",
    ]

    static func terms(_ text: String) -> [String] {
        var result: [String] = []
        forEachTerm(in: text) { term, _ in result.append(String(decoding: term, as: UTF8.self)) }
        return result
    }

    /// Calls `body` with the UTF-8 bytes of each term of `text` and their
    /// `hash`, in order. The bytes are valid only during the call: a caller
    /// that counts terms makes a String of each distinct term once, not of
    /// every occurrence. The hash is made as the word is read: hashing it
    /// again after was a pass over every word of the archive.
    static func forEachTerm(in text: String, _ body: (UnsafeBufferPointer<UInt8>, UInt32) -> Void) {
        var text = text
        text.withUTF8 { forEachTerm(inBytes: $0, body) }
    }

    /// Most archive text is ASCII: split and lowercase bytes directly and
    /// take the Unicode path only for words that need it.
    private static func forEachTerm(inBytes bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, UInt32) -> Void) {
        // The word being read, lowercased. No word is longer than the text:
        // folding a Latin-1 letter only shortens it.
        let word = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        defer { word.deallocate() }
        var length = 0
        var needsUnicode = false
        var hash = fnvBasis
        @inline(__always) func append(_ byte: UInt8) {
            word[length] = byte
            length += 1
            hash = (hash ^ UInt32(byte)) &* fnvPrime
        }
        var at = 0
        while at <= bytes.count {
            let byte = at < bytes.count ? bytes[at] : 0x20
            switch byte {
            case 0x41...0x5A: append(byte + 0x20)
            case 0x61...0x7A, 0x30...0x39: append(byte)
            case 0xC3:
                // U+00C0–U+00FF: accented Latin letters fold to one ASCII letter.
                // (A String's UTF-8 is valid: a lead byte has its continuation.)
                at += 1
                let folded = latin1Folds[Int(bytes[at] & 0x3F)]
                if folded != 0 {
                    append(folded)
                } else {
                    append(0xC3)
                    append(bytes[at])
                    needsUnicode = true
                }
            case 0xE2 where bytes[at + 1] == 0x80 || (bytes[at + 1] == 0x81 && bytes[at + 2] < 0xB0):
                // U+2000–U+206F: dashes, curly quotes, spaces, ellipses.
                let scalar = Int(bytes[at + 1] & 0x3F) << 6 | Int(bytes[at + 2] & 0x3F)
                if generalPunctuationSplits[scalar] {
                    emit(UnsafeBufferPointer(start: word, count: length), hash: hash, needsUnicode: needsUnicode, body)
                    (length, needsUnicode, hash) = (0, false, fnvBasis)
                } else {
                    for offset in 0..<3 { append(bytes[at + offset]) }
                    needsUnicode = true
                }
                at += 2
            case 0x80...: append(byte); needsUnicode = true
            default:
                // Anything else splits, and so does the end of the text.
                emit(UnsafeBufferPointer(start: word, count: length), hash: hash, needsUnicode: needsUnicode, body)
                (length, needsUnicode, hash) = (0, false, fnvBasis)
            }
            at += 1
        }
    }

    /// Hands a word to `body` as terms: an ASCII word as it is unless it is
    /// a stop word or one letter; any other by the full rules.
    private static func emit(_ word: UnsafeBufferPointer<UInt8>, hash: UInt32, needsUnicode: Bool,
                             _ body: (UnsafeBufferPointer<UInt8>, UInt32) -> Void) {
        guard let first = word.first else { return }
        if needsUnicode {
            for var term in unicodeTerms(String(decoding: word, as: UTF8.self)) { term.withUTF8 { body($0, Self.hash($0)) } }
        } else if word.count > 1 || (first >= 0x30 && first <= 0x39) {
            if word.count > longestStopWord || !isStopWord(word, hash: hash) { body(word, hash) }
        }
    }

    /// No stop word is longer: a longer word is not looked up.
    private static let longestStopWord = stopWords.map(\.utf8.count).max() ?? 0

    /// The stop words' bytes as integers (none is longer than 8 bytes), in
    /// a table by their hash, probed linearly (0: empty): an ASCII word is
    /// looked up with the hash it already has, without making a String of
    /// it, in a probe or two (a binary search branched unpredictably).
    private static let stopWordSlots: [UInt64] = {
        var slots = [UInt64](repeating: 0, count: 256)
        for word in stopWords {
            var slot = Int(hash(word.utf8) & 255)
            while slots[slot] != 0 { slot = (slot + 1) & 255 }
            slots[slot] = key(Array(word.utf8))
        }
        return slots
    }()

    private static func key(_ word: some BidirectionalCollection<UInt8>) -> UInt64 {
        word.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func isStopWord(_ word: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Bool {
        let wanted = key(word)
        var slot = Int(hash & 255)
        while true {
            let stored = stopWordSlots[slot]
            if stored == wanted { return true }
            if stored == 0 { return false }
            slot = (slot + 1) & 255
        }
    }

    /// For U+2000 + i (the General Punctuation block), whether the full rules
    /// split words there. Archive prose is full of curly quotes and dashes,
    /// and each sent its word down the Unicode path. Made from
    /// `unicodeTerms` itself, like `latin1Folds`.
    static let generalPunctuationSplits: [Bool] = (0x2000...0x206F).map { code in
        unicodeTerms("ab" + String(UnicodeScalar(UInt32(code))!) + "cd") == ["ab", "cd"]
    }

    /// For U+00C0 + i, the ASCII letter `unicodeTerms` folds it to (lowercased,
    /// accent removed), or 0 where it folds to anything else (æ, ø, ß, the
    /// signs × and ÷): those words take the Unicode path. Made from
    /// `unicodeTerms` itself, so the two cannot disagree. Words in Western
    /// European languages mostly need nothing more, and the Unicode path
    /// (Foundation's lowercasing and decomposition) was a tenth of a rebuild.
    static let latin1Folds: [UInt8] = (0xC0...0xFF).map { code -> UInt8 in
        let letter = String(UnicodeScalar(UInt8(code)))
        guard let term = unicodeTerms("x" + letter + "x").first, term.utf8.count == 3, term.hasPrefix("x"), term.hasSuffix("x"),
              let byte = term.utf8.dropFirst().first, byte < 0x80 else { return 0 }
        return byte
    }

    /// The full rules, for words with non-ASCII letters (or punctuation).
    static func unicodeTerms(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                let term = String(current)
                if term.unicodeScalars.count > 1 || term.unicodeScalars.first?.properties.numericType != nil,
                   !stopWords.contains(term) { result.append(term) }
                current = String.UnicodeScalarView()
            }
        }
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            let p = scalar.properties
            if p.generalCategory == .nonspacingMark { continue }
            // Final sigma is σ: JavaScript lowercases a word-final Σ to ς, Swift to σ.
            if scalar == "\u{03C2}" { current.append("\u{03C3}"); continue }
            if p.isAlphabetic || p.numericType != nil { current.append(scalar) } else { flush() }
        }
        flush()
        return result
    }

    /// FNV-1a over UTF-8, the term-to-shard hash shared with `search.js`.
    static func shard(_ term: String, of count: Int) -> Int {
        Int(hash(term.utf8) % UInt32(count))
    }

    static func hash(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var hash = fnvBasis
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* fnvPrime }
        return hash
    }

    private static let fnvBasis: UInt32 = 0x811c9dc5
    private static let fnvPrime: UInt32 = 0x01000193
}
