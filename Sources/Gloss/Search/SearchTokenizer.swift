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
        var text = text
        return text.withUTF8(terms(in:))
    }

    /// Most archive text is ASCII: split and lowercase bytes directly and
    /// take the Unicode path only for words that need it.
    private static func terms(in bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var result: [String] = []
        var word: [UInt8] = []
        word.reserveCapacity(32)
        var needsUnicode = false
        func finish() {
            guard !word.isEmpty else { return }
            if needsUnicode {
                result += unicodeTerms(String(decoding: word, as: UTF8.self))
            } else if word.count > 1 || (word[0] >= 0x30 && word[0] <= 0x39) {
                let term = String(decoding: word, as: UTF8.self)
                if word.count > longestStopWord || !stopWords.contains(term) { result.append(term) }
            }
            word.removeAll(keepingCapacity: true)
            needsUnicode = false
        }
        var at = 0
        while at < bytes.count {
            let byte = bytes[at]
            switch byte {
            case 0x41...0x5A: word.append(byte + 0x20)
            case 0x61...0x7A, 0x30...0x39: word.append(byte)
            case 0xC3:
                // U+00C0–U+00FF: accented Latin letters fold to one ASCII letter.
                // (A String's UTF-8 is valid: a lead byte has its continuation.)
                at += 1
                let folded = latin1Folds[Int(bytes[at] & 0x3F)]
                if folded != 0 {
                    word.append(folded)
                } else {
                    word += [0xC3, bytes[at]]
                    needsUnicode = true
                }
            case 0xE2 where bytes[at + 1] == 0x80 || (bytes[at + 1] == 0x81 && bytes[at + 2] < 0xB0):
                // U+2000–U+206F: dashes, curly quotes, spaces, ellipses.
                let scalar = Int(bytes[at + 1] & 0x3F) << 6 | Int(bytes[at + 2] & 0x3F)
                if generalPunctuationSplits[scalar] {
                    finish()
                } else {
                    word += bytes[at...(at + 2)]
                    needsUnicode = true
                }
                at += 2
            case 0x80...: word.append(byte); needsUnicode = true
            default: finish()
            }
            at += 1
        }
        finish()
        return result
    }

    /// No stop word is longer: a longer word is not looked up.
    private static let longestStopWord = stopWords.map(\.utf8.count).max() ?? 0

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
        var hash: UInt32 = 0x811c9dc5
        for byte in term.utf8 { hash = (hash ^ UInt32(byte)) &* 0x01000193 }
        return Int(hash % UInt32(count))
    }
}
