import Foundation

/// One copy of each string a cache decodes. A cache repeats the same
/// strings in many records: entity ids in every article's front matter and
/// claims, slugs in every related list, output paths in the page keys and
/// again in the list of published files. Each read made its own copy, and
/// at 100,000 articles those copies were 280 MB of a one-change build's
/// memory. Readers that share a table return its copy instead.
///
/// Only the strings a reader is told are repeated (`readShared`): looking
/// one up costs about a microsecond at that size (the tables do not fit in
/// the processor's caches), several times what a copy costs.
///
/// Used only while a cache is decoded, on all cores: the strings are in
/// tables split by hash, each behind its own lock. The tables hash and
/// compare bytes, and make a string only for bytes they have not seen: a
/// `Set<String>` made one for every read, and compared strings with
/// Unicode's rules, which tripled the time to load a cache.
final class SharedStrings: @unchecked Sendable {  // each table is used only under its lock
    /// Strings of up to 15 bytes are held inline, not allocated: nothing to share.
    static let minimumLength = 16

    private let shards = (0..<32).map { _ in Shard() }
    /// Tables of recent strings no reader is using, for the next: a
    /// section's records are read in slices of 256, and making each slice
    /// its table (4,096 strings) was 4 % of loading the cache's samples.
    private let spareLock = NSLock()
    private var spare: [RecentStrings] = []

    /// Runs `body` with a table of recent strings in front of this one, used by no other reader meanwhile.
    func withRecent<T>(_ body: (RecentStrings) throws -> T) rethrows -> T {
        let recent = spareLock.withLock { spare.popLast() } ?? RecentStrings(self)
        defer { spareLock.withLock { spare.append(recent) } }
        return try body(recent)
    }

    /// Room for about `count` strings, made before they are read: each
    /// table doubled some three times while a cache of 10,000 articles was
    /// read, moving every string it held each time, under its lock.
    func reserve(_ count: Int) {
        for shard in shards { shard.lock.withLock { shard.reserve(count / shards.count) } }
    }

    /// The table's copy of the string `bytes` decodes to.
    func string(_ bytes: UnsafeRawBufferPointer) -> String { string(bytes, hash: Self.hash(bytes)) }

    /// `string(_:)`, given the bytes' `hash`.
    func string(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> String {
        let shard = shards[Int(hash >> 59)]
        shard.lock.lock()
        defer { shard.lock.unlock() }
        return shard.string(bytes, hash: hash)
    }

    /// Open addressing with linear probing; a hash of 0 marks a free slot.
    /// A slot's hash and string are side by side: each probe of a large
    /// table is a cache miss.
    private final class Shard {
        struct Slot {
            var hash: UInt64 = 0
            var string = ""
        }

        let lock = NSLock()
        private var slots = [Slot](repeating: Slot(), count: 1024)
        private var count = 0

        func string(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> String {
            // Probed through one buffer access: each access to the array
            // property was an exclusivity check and a retain.
            let (string, inserted) = slots.withUnsafeMutableBufferPointer { slots -> (String, Bool) in
                let mask = slots.count - 1
                var index = Int(truncatingIfNeeded: hash) & mask
                while slots[index].hash != 0 {
                    if slots[index].hash == hash, SharedStrings.equal(&slots[index].string, bytes) { return (slots[index].string, false) }
                    index = (index + 1) & mask
                }
                let string = String(decoding: bytes, as: UTF8.self)
                slots[index] = Slot(hash: hash, string: string)
                return (string, true)
            }
            if inserted {
                count += 1
                if count * 2 > slots.count { grow() }
            }
            return string
        }

        func reserve(_ count: Int) {
            var size = slots.count
            while size < count * 2 { size *= 2 }
            if size > slots.count { grow(to: size) }
        }

        private func grow(to size: Int? = nil) {
            let old = slots
            slots = [Slot](repeating: Slot(), count: size ?? old.count * 2)
            let mask = slots.count - 1
            for slot in old where slot.hash != 0 {
                var index = Int(truncatingIfNeeded: slot.hash) & mask
                while slots[index].hash != 0 { index = (index + 1) & mask }
                slots[index] = slot
            }
        }
    }

    /// Whether `string` is made of exactly `bytes`.
    static func equal(_ string: inout String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        string.withUTF8 { utf8 in
            utf8.count == bytes.count && (bytes.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }

    /// A 64-bit hash of the bytes, eight at a time; never 0.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        var tail: UInt64 = 0
        for index in offset..<bytes.count { tail = tail << 8 | UInt64(bytes[index]) }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 29
        hash = hash &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 32
        return hash == 0 ? 1 : hash
    }
}

/// The strings one reader found lately, in front of the shared table: a
/// decoded cache names a few thousand entity ids over and over, and each
/// look-up in the shared table took its lock and missed the processor's
/// caches. Direct-mapped by hash; a string not here is asked of `shared`.
///
/// Used by one thread at a time (one slice of a section's records).
final class RecentStrings {
    private static let size = 4096
    private let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: size)
    private let strings = UnsafeMutablePointer<String>.allocate(capacity: size)
    /// Unowned: `shared` keeps its spare tables (`withRecent`).
    unowned let shared: SharedStrings

    init(_ shared: SharedStrings) {
        self.shared = shared
        hashes.initialize(repeating: 0, count: Self.size)
        strings.initialize(repeating: "", count: Self.size)
    }

    deinit {
        hashes.deallocate()
        strings.deinitialize(count: Self.size)
        strings.deallocate()
    }

    func string(_ bytes: UnsafeRawBufferPointer) -> String {
        let hash = SharedStrings.hash(bytes)
        let slot = Int(truncatingIfNeeded: hash) & (Self.size - 1)
        if hashes[slot] == hash, SharedStrings.equal(&strings[slot], bytes) { return strings[slot] }
        let string = shared.string(bytes, hash: hash)
        hashes[slot] = hash
        strings[slot] = string
        return string
    }
}
