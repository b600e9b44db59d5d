import Foundation
import XCTest
import Engine
import Trace
@testable import Lessons

/// Damage below the level of lines: bit flips, truncation inside a multi-byte character,
/// random bytes, and settings pushed to hostile values, applied to the bytes of the shipped
/// lessons (and to a lesson that reads `.npy` files). Every copy must come out the way
/// `LessonReader.load` would give it: refused as not UTF-8, refused with positioned problems,
/// or a lesson that the engine then runs (or refuses) without trapping.
final class FuzzBytesTests: XCTestCase {
    /// Settings a mutation may set, with values around and beyond every limit.
    static let hostileSettings: [String] = [
        "x.shape: 1000000000,1,1,1", "x.shape: 8,8,64,64", "x.shape: 1,1,64,64", "x.shape: -1,1,4,4",
        "x.shape: 9223372036854775807,2", "x.shape: 1,1,0,4", "w.shape: 8,8,8,8", "w.shape: 1,1,65,1",
        "stride: 0", "stride: 9", "stride: 1,8", "pad: 8", "pad: 9", "pad: same", "pad: -1", "dilation: 8",
        "pool: 8", "pool: 0,2", "passes: update", "passes: backward", "routing: seed-bug",
        "x.values: random(seed=18446744073709551615, low=-1000000, high=1000000)",
        "x.values: random(seed=1, low=5, high=-5)", "x.values: 1..4096", "x.values: 1e308, 2", "x.values: nan",
        "x.values: data/x.npy", "w.values: data/w.npy", "x.values: ../x.npy", "x.values: /etc/passwd",
        "optimizer: adam(lr=10, beta1=1, beta2=0, eps=0)", "optimizer: sgd(lr=1e-300)", "show: all",
        "x.symbols: a b c", "w.symbols: " + String(repeating: "長い名前 ", count: 40),
    ]

    /// What the `.npy` callback serves: a small array, and one for the largest input a lesson allows.
    static let arrays: [String: Tensor] = [
        "data/x.npy": Tensor(shape: [1, 1, 4, 4], data: (1...16).map(Double.init)),
        "data/w.npy": Tensor(shape: [1, 1, 2, 2], data: [1, 0, 0, -1]),
    ]

    func mutate(_ bytes: [UInt8], _ dice: inout FuzzTests.Dice) -> [UInt8] {
        var b = bytes
        for _ in 0...dice.below(2) {
            guard !b.isEmpty else { break }
            switch dice.below(6) {
            case 0:
                for _ in 0...dice.below(3) { b[dice.below(b.count)] ^= 1 << UInt8(dice.below(8)) }
            case 1:
                b = Array(b.prefix(dice.below(b.count + 1)))
            case 2:
                let at = dice.below(b.count + 1)
                b.insert(contentsOf: (0..<1 + dice.below(12)).map { _ in UInt8(truncatingIfNeeded: dice.next()) }, at: at)
            case 3, 4:
                // A setting added right after the opening `---`, where it belongs to the front
                // matter: the parser must weigh it against the rest.
                let setting = Array((Self.hostileSettings[dice.below(Self.hostileSettings.count)] + "\n").utf8)
                let at = (b.firstIndex(of: 0x0A) ?? -1) + 1
                b.insert(contentsOf: setting, at: at)
            default:
                // A range of bytes duplicated elsewhere (a pasted fragment).
                let start = dice.below(b.count)
                let piece = b[start..<min(b.count, start + dice.below(200))]
                b.insert(contentsOf: piece, at: dice.below(b.count + 1))
            }
        }
        return b
    }

    func testMutatedBytesNeverTrap() throws {
        let npyLesson = minimal.replacingOccurrences(of: "x.shape: 1,1,3,3", with: "x.values: data/x.npy")
            .replacingOccurrences(of: "w.shape: 1,1,2,2", with: "w.values: data/w.npy")
        let sources = try shippedLessons().map { Array($0.text.utf8) } + [Array(minimal.utf8), Array(npyLesson.utf8)]
        var dice = FuzzTests.Dice(state: 0x0B17_F11B)
        var notText = 0, refused = 0, ran = 0, engineRefused = 0
        let rounds = 20_000
        for round in 0..<rounds {
            let bytes = mutate(sources[round % sources.count], &dice)
            // As LessonReader.load decodes a file.
            guard let text = String(data: Data(bytes), encoding: .utf8) else {
                notText += 1
                continue
            }
            let lineCount = LessonReader.splitLines(text).count
            switch parse(text, npy: Self.arrays) {
            case .failure(let problems):
                refused += 1
                for p in problems {
                    XCTAssertTrue((1...max(1, lineCount)).contains(p.line), "round \(round): \(p)")
                    XCTAssertGreaterThanOrEqual(p.column, 1, "round \(round): \(p)")
                    XCTAssertFalse(p.message.isEmpty, "round \(round)")
                }
            case .success(let lesson):
                let s = lesson.scenario
                XCTAssertLessThanOrEqual(s.x.count, LessonLimits.maxInputCells, "round \(round)")
                XCTAssertTrue(s.x.data.allSatisfy { $0.isFinite && abs($0) <= LessonLimits.maxMagnitude }, "round \(round)")
                // Only some valid copies go through the engine, to keep the test to seconds;
                // those are the ones a setting was injected into, the likeliest to break it.
                guard round % 4 == 0 || bytes.count != sources[round % sources.count].count else { continue }
                switch LessonReader.check(lesson) {
                case .success(let trace):
                    ran += 1
                    XCTAssertLessThanOrEqual(trace.events.count, Trace.maxEvents, "round \(round)")
                case .failure(let problems):
                    engineRefused += 1
                    XCTAssertFalse(problems.isEmpty, "round \(round)")
                }
            }
        }
        XCTAssertGreaterThan(notText, 100, "bit flips and random bytes make some copies invalid UTF-8")
        XCTAssertGreaterThan(refused, rounds / 4)
        XCTAssertGreaterThan(ran, 100, "some damaged copies are still lessons that run")
    }
}
