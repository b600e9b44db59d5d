/// SplitMix64: tiny, fast and fully specified, so that a seed gives the same numbers on every
/// machine and in every version (the standard library's generators promise no such thing).
/// Lessons' `random(seed=7)`, the benchmarks and the tests all draw from it.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `low...high`, by the modulo of the next draw (the bias is far below
    /// anything a lesson can show).
    public mutating func integer(_ low: Int, _ high: Int) -> Int {
        let span = UInt64(high - low) + 1
        return low + Int(next() % span)
    }
}
