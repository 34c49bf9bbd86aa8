/// The positions of objects in a list, found by identity. An open-addressing
/// table probed with a multiply of the object's address: a `Dictionary`
/// keyed by `ObjectIdentifier` hashes it with SipHash, and that was most of
/// making the keys of the claims pages, for every claim on every save of a
/// preview.
struct IdentityIndex: Sendable {
    /// Addresses (0: an empty slot) and the positions stored with them.
    private let addresses: [UInt]
    private let positions: [Int32]
    private let shift: UInt

    init(_ objects: [some AnyObject]) {
        var capacity = 16
        while capacity < objects.count * 2 { capacity *= 2 }
        var addresses = [UInt](repeating: 0, count: capacity), positions = [Int32](repeating: -1, count: capacity)
        let shift = UInt(UInt.bitWidth - capacity.trailingZeroBitCount)
        for (position, object) in objects.enumerated() {
            let address = UInt(bitPattern: ObjectIdentifier(object))
            var slot = Self.slot(address, shift)
            // An object listed twice keeps its first position, as a dictionary made uniquely would reject it.
            while addresses[slot] != 0, addresses[slot] != address { slot = (slot + 1) & (capacity - 1) }
            guard addresses[slot] == 0 else { continue }
            addresses[slot] = address
            positions[slot] = Int32(position)
        }
        (self.addresses, self.positions, self.shift) = (addresses, positions, shift)
    }

    subscript(_ object: AnyObject) -> Int? {
        let address = UInt(bitPattern: ObjectIdentifier(object))
        var slot = Self.slot(address, shift)
        while true {
            let stored = addresses[slot]
            if stored == address { return Int(positions[slot]) }
            if stored == 0 { return nil }
            slot = (slot + 1) & (addresses.count - 1)
        }
    }

    @inline(__always) private static func slot(_ address: UInt, _ shift: UInt) -> Int {
        Int(truncatingIfNeeded: (address &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }
}
