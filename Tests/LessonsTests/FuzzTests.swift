import XCTest
import Engine
@testable import Lessons

/// Thousands of damaged copies of the shipped lessons: each must come out as a lesson or as
/// problems with a real position, and nothing may trap.
final class FuzzTests: XCTestCase {
    /// A fixed-seed generator (the engine's, which lessons use), so a failure can be replayed.
    typealias Dice = SplitMix64

    static let replacements = ["99999999999999999999", "-1", "-7", "0", "1e308", "nan", "x", "",
                               "2147483648", "9223372036854775807", "1..0", "--", "1,,", "65", "(", "same", "..", "0.5"]

    func mutate(_ text: String, _ dice: inout Dice) -> String {
        var lines = LessonReader.splitLines(text)
        for _ in 0...dice.below(3) {
            guard !lines.isEmpty else { break }
            let i = dice.below(lines.count)
            switch dice.below(7) {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: i)
            case 2: lines[i] = String(lines[i].prefix(dice.below(lines[i].count + 1)))
            case 3:
                // Replace one number on the line with something hostile.
                let chars = Array(lines[i])
                if let start = chars.indices.filter({ chars[$0].isNumber }).randomElement(using: &dice) {
                    var end = start
                    while end < chars.count, chars[end].isNumber { end += 1 }
                    let r = Self.replacements[dice.below(Self.replacements.count)]
                    lines[i] = String(chars[..<start]) + r + String(chars[end...])
                }
            case 4:
                let bytes = (0..<dice.below(12)).map { _ in UInt8(truncatingIfNeeded: dice.next()) }
                var chars = Array(lines[i])
                let at = dice.below(chars.count + 1)
                chars.insert(contentsOf: Array(String(decoding: bytes, as: UTF8.self)), at: at)
                lines[i] = String(chars)
            case 5: lines.swapAt(i, dice.below(lines.count))
            default: lines = Array(lines.prefix(i))
            }
        }
        return lines.joined(separator: "\n")
    }

    func testMutatedLessonsNeverTrap() throws {
        let sources = try shippedLessons().map(\.text) + [minimal]
        var dice = Dice(state: 20240924)
        var played = 0, refused = 0
        for round in 0..<6000 {
            let text = mutate(sources[round % sources.count], &dice)
            let lineCount = LessonReader.splitLines(text).count
            // A refusal, by the reader or by the check against the trace, says where.
            func assertPlaced(_ problems: LessonProblems) {
                refused += 1
                XCTAssertFalse(problems.isEmpty, "round \(round): refused without a problem")
                for p in problems {
                    XCTAssertTrue((1...max(1, lineCount)).contains(p.line), "round \(round): \(p)")
                    XCTAssertGreaterThanOrEqual(p.column, 1, "round \(round): \(p)")
                    XCTAssertFalse(p.message.isEmpty, "round \(round)")
                }
            }
            switch parse(text) {
            case .failure(let problems):
                assertPlaced(problems)
            case .success(let l):
                XCTAssertLessThanOrEqual(l.scenario.x.count, LessonLimits.maxInputCells, "round \(round)")
                XCTAssertTrue(l.scenario.x.data.allSatisfy { $0.isFinite }, "round \(round)")
                switch LessonReader.check(l) {
                case .failure(let problems):
                    assertPlaced(problems)
                case .success(let trace):
                    // It plays: there are steps to show, within what a lesson may show.
                    played += 1
                    XCTAssertTrue((1...LessonLimits.maxShownSteps).contains(l.shownStepCount(in: trace)),
                                  "round \(round): \(l.shownStepCount(in: trace)) steps to show")
                }
            }
        }
        print("mutated lessons: \(played) played, \(refused) refused")
        XCTAssertGreaterThan(played, 0, "some mutations (a deleted narration line) leave a lesson that plays")
        XCTAssertGreaterThan(refused, 3000)
    }
}

extension SplitMix64 {
    init(state: UInt64) { self.init(seed: state) }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}
