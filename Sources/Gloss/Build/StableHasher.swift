/// A hasher whose results are the same in every process. Swift's `Hasher`
/// is seeded afresh per process, so keys made with it cannot be stored by
/// the persistent build cache and compared by the next `gloss build`.
///
/// 64 bits, mixed per word with a multiply and a rotate and finished with
/// MurmurHash3's `fmix64`: not cryptographic, but a key compares what one
/// page was made from last time with what it is made from now, so only an
/// accidental collision matters.
struct StableHasher {
    private var state: UInt64 = 0x243F_6A88_85A3_08D3
    private var count: UInt64 = 0

    init() {}

    mutating func combine(_ word: UInt64) {
        state = Self.mix(state, word)
        count &+= 1
    }

    @inline(__always) private static func mix(_ state: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = state ^ (word &* 0x9E37_79B9_7F4A_7C15)
        return (mixed << 27 | mixed >> 37) &* 0xBF58_476D_1CE4_E5B9
    }

    mutating func combine(_ value: some StableHashable) { value.stableHash(into: &self) }

    /// Bytes eight at a time, then the tail and the length (so "ab"+"c" and
    /// "a"+"bc" differ). A long text goes through four lanes first: each
    /// step of one chain waits for the multiply before it, and the texts a
    /// build checksums (every article's HTML and text, stored and read back)
    /// made that wait a percent of a clean build.
    mutating func combine(bytes: UnsafeRawBufferPointer) {
        var offset = 0
        if bytes.count >= 64 {
            var lanes = (state, state ^ 0x1357_9BDF_2468_ACE0, state ^ 0x0F1E_2D3C_4B5A_6978, state ^ 0x7F4A_7C15_9E37_79B9)
            while offset + 32 <= bytes.count {
                lanes.0 = Self.mix(lanes.0, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                lanes.1 = Self.mix(lanes.1, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
                lanes.2 = Self.mix(lanes.2, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
                lanes.3 = Self.mix(lanes.3, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
                offset += 32
            }
            combine(lanes.0)
            combine(lanes.1)
            combine(lanes.2)
            combine(lanes.3)
        }
        while offset + 8 <= bytes.count {
            combine(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        for (shift, byte) in bytes[offset...].enumerated() { tail |= UInt64(byte) << (8 * UInt64(shift)) }
        combine(tail)
        combine(UInt64(bytes.count))
    }

    func finalize() -> Int {
        var h = state ^ count
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return Int(bitPattern: UInt(h))
    }
}

/// A value with a hash that is the same in every process.
protocol StableHashable {
    func stableHash(into hasher: inout StableHasher)
}

extension Int: StableHashable {
    func stableHash(into hasher: inout StableHasher) { hasher.combine(UInt64(bitPattern: Int64(self))) }
}

extension Int64: StableHashable {
    func stableHash(into hasher: inout StableHasher) { hasher.combine(UInt64(bitPattern: self)) }
}

extension UInt64: StableHashable {
    func stableHash(into hasher: inout StableHasher) { hasher.combine(self) }
}

extension Bool: StableHashable {
    func stableHash(into hasher: inout StableHasher) { hasher.combine(self ? 1 : 2 as UInt64) }
}

extension String: StableHashable {
    /// The UTF-8 bytes, not normalised: a cache wants byte changes anyway.
    func stableHash(into hasher: inout StableHasher) {
        var copy = self
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension Optional: StableHashable where Wrapped: StableHashable {
    func stableHash(into hasher: inout StableHasher) {
        switch self {
        case .none: hasher.combine(0 as UInt64)
        case .some(let value): hasher.combine(1 as UInt64); hasher.combine(value)
        }
    }
}

extension Array: StableHashable where Element: StableHashable {
    func stableHash(into hasher: inout StableHasher) {
        hasher.combine(UInt64(count))
        for element in self { hasher.combine(element) }
    }
}

extension SimpleDate: StableHashable {
    func stableHash(into hasher: inout StableHasher) { hasher.combine(year * 10_000 + month * 100 + day) }
}

extension TemplateValue: StableHashable {
    func stableHash(into hasher: inout StableHasher) {
        switch self {
        case .string(let text): hasher.combine(1 as UInt64); hasher.combine(text)
        case .int(let number): hasher.combine(2 as UInt64); hasher.combine(number)
        case .bool(let flag): hasher.combine(3 as UInt64); hasher.combine(flag)
        case .list(let items): hasher.combine(4 as UInt64); hasher.combine(items)
        case .object(let fields):
            // Each field is hashed alone and the results added, which
            // ignores their order (as equality does).
            var sum: UInt64 = 0
            for (key, value) in fields.fields {
                var field = StableHasher()
                field.combine(key)
                field.combine(value)
                sum &+= UInt64(bitPattern: Int64(field.finalize()))
            }
            hasher.combine(5 as UInt64)
            hasher.combine(UInt64(fields.count))
            hasher.combine(sum)
        }
    }
}
