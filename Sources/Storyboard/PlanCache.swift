import Foundation

/// The level of detail at which a phase showed every cell, per screen and view. A phase keeps
/// its layout from step to step — tiles are planned with room for the longest sum, columns take
/// the phase's widest value — so a level that shows everything at one step does at the next,
/// and the search through the levels runs once per phase instead of once per frame. The level
/// found is tried first and kept only where it still does what it did when chosen — shows
/// everything, or, where no level could, keeps every cell the step touches — so a stale entry
/// costs one try, never a wrong picture.
final class PlanCache: @unchecked Sendable {
    struct Key: Hashable {
        var phase: Int
        var width: Int
        var height: Int
        var large: Bool
        var symbols: Bool
        var language: Language
        var asciiOnly: Bool
        var blockPage: Int
    }

    /// Each block's level, and whether they showed everything or only kept what the step
    /// touched.
    struct Choice {
        var levels: [Int]
        /// The height a block filled, where it was given the rows left blank (0: none).
        var fills: [Int]
        /// The width each block was built for.
        var widths: [Int]
        var whole: Bool
    }

    private var levels: [Key: Choice] = [:]
    // Frames of one board may be drawn from several threads (a recording, the player).
    private let lock = NSLock()

    func level(_ key: Key) -> Choice? {
        lock.lock()
        defer { lock.unlock() }
        return levels[key]
    }

    func remember(_ level: Choice, for key: Key) {
        lock.lock()
        defer { lock.unlock() }
        levels[key] = level
    }
}
