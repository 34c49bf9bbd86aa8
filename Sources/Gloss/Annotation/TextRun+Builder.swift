extension TextRun {
    /// Builds a run's parallel arrays in buffers sized once, up front. A run
    /// holds one entry per scalar of its block, and appending to four
    /// growable arrays scalar by scalar (a uniqueness and a capacity check
    /// each) was a quarter of annotating an article.
    struct Builder {
        private let capacity: Int
        private let scalars: UnsafeMutablePointer<Unicode.Scalar>
        private let origins: UnsafeMutablePointer<Origin>
        private let utf8: UnsafeMutablePointer<UInt8>
        /// One more than `capacity`: the end of the last scalar.
        private let byteOffsets: UnsafeMutablePointer<Int32>
        private var count = 0
        private var byteCount = 0
        private(set) var leaves: [Markup] = []
        private(set) var leafPositions: [Range<Int>] = []

        init(capacity: Int) {
            self.capacity = capacity
            scalars = .allocate(capacity: capacity)
            origins = .allocate(capacity: capacity)
            utf8 = .allocate(capacity: capacity)
            byteOffsets = .allocate(capacity: capacity + 1)
            byteOffsets[0] = 0
        }

        /// At least the number of scalars, and of UTF-8 bytes, the run of
        /// `node` holds: its leaves' UTF-8 bytes and one per break (collapsed
        /// white space becomes one space, one byte).
        static func capacity(of node: Markup) -> Int {
            switch node.kind {
            case .text, .code: node.literal?.utf8.count ?? 0
            case .softBreak, .lineBreak: 1
            case .image, .htmlInline, .footnoteReference: 0
            default: node.children.reduce(0) { $0 + capacity(of: $1) }
            }
        }

        func deallocate() {
            scalars.deallocate()
            origins.deallocate()
            utf8.deallocate()
            byteOffsets.deallocate()
        }

        /// The arrays, trailing white space dropped.
        mutating func finish() -> (scalars: [Unicode.Scalar], origins: [Origin], utf8: [UInt8], byteOffsets: [Int32]) {
            while count > 0, scalars[count - 1] == " " { count -= 1 }
            byteCount = Int(byteOffsets[count])
            return (Array(UnsafeBufferPointer(start: scalars, count: count)),
                    Array(UnsafeBufferPointer(start: origins, count: count)),
                    Array(UnsafeBufferPointer(start: utf8, count: byteCount)),
                    Array(UnsafeBufferPointer(start: byteOffsets, count: count + 1)))
        }

        private mutating func push(_ scalar: Unicode.Scalar, _ origin: Origin) {
            // A scalar of a leaf is as many bytes as it was there; a space
            // stands for at least one byte or for a break: never more.
            let width = scalar.isASCII ? 1 : UTF8.width(scalar)
            precondition(count < capacity && byteCount + width <= capacity, "a text run outgrew its capacity")
            scalars[count] = scalar
            origins[count] = origin
            if width == 1 {
                utf8[byteCount] = UInt8(truncatingIfNeeded: scalar.value)
                byteCount += 1
            } else {
                UTF8.encode(scalar) { utf8[byteCount] = $0; byteCount += 1 }
            }
            count += 1
            byteOffsets[count] = Int32(byteCount)
        }

        private mutating func space(_ origin: Origin) {
            if count > 0, scalars[count - 1] != " " { push(" ", origin) }
        }

        mutating func append(_ node: Markup) {
            switch node.kind {
            case .text, .code:
                leaves.append(node)
                let first = count
                var literal = node.literal ?? ""
                literal.withUTF8 { appendText($0, node: node.id) }
                leafPositions.append(first..<count)
            case .softBreak, .lineBreak:
                space(.none)
            case .image, .htmlInline, .footnoteReference:
                break  // not part of the readable sentence
            default:
                for child in node.children { append(child) }
            }
        }

        /// A leaf's scalars, decoded from its UTF-8 (a String's bytes are
        /// valid UTF-8), white space collapsed.
        private mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>, node: Int) {
            var offset = 0
            while offset < bytes.count {
                let lead = bytes[offset]
                if lead < 0x80 {
                    let origin = Origin(node: node, offset: offset, width: 1)
                    if lead == 0x20 || lead == 0x09 || lead == 0x0A || lead == 0x0D {
                        space(origin)
                    } else {
                        push(Unicode.Scalar(lead), origin)
                    }
                    offset += 1
                    continue
                }
                let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                var value = UInt32(lead) & (width == 4 ? 0x07 : width == 3 ? 0x0F : 0x1F)
                for index in (offset + 1)..<(offset + width) { value = value << 6 | UInt32(bytes[index] & 0x3F) }
                let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                let origin = Origin(node: node, offset: offset, width: width)
                if scalar.properties.isWhitespace { space(origin) } else { push(scalar, origin) }
                offset += width
            }
        }
    }
}
