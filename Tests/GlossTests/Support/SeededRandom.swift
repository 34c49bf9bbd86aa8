/// A small deterministic generator (SplitMix64): the same inputs every run.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }

    /// `length` of `pieces`, picked at random, joined: inputs for tests
    /// that compare a fast path with the rules it shortcuts.
    mutating func text(of pieces: [String], length: Int) -> String {
        (0..<length).map { _ in pieces[next(pieces.count)] }.joined()
    }
}
