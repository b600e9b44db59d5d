import XCTest
import Engine
import Storyboard

/// `Frame.changedRuns`, the one diff of two frames that the player, recordings and the bench use.
final class FrameDiffTests: XCTestCase {
    private let size = Size(width: 12, height: 3)

    private func frame(_ lines: [String], role: Role = .plain) -> Frame {
        var frame = Frame(size: size)
        for (row, line) in lines.enumerated() { frame.put(line, row: row, column: 0, role: role) }
        return frame
    }

    func testWithoutAPreviousFrameOfTheSameSizeEveryRowIsWhole() {
        let now = frame(["abc"])
        let whole = (0..<3).map { ChangedRun(row: $0, columns: 0..<12) }
        XCTAssertEqual(now.changedRuns(from: nil), whole)
        XCTAssertEqual(now.changedRuns(from: Frame(size: Size(width: 11, height: 3))), whole)
        XCTAssertEqual(Frame(size: Size(width: 0, height: 0)).changedRuns(from: nil), [])
    }

    func testOnlyTheCellsThatDifferAndNothingWhenNothingDoes() {
        let before = frame(["abcdefghij", "same", "x"])
        XCTAssertEqual(before.changedRuns(from: before), [])
        let after = frame(["abXdeYZhij", "same", "x"])
        XCTAssertEqual(after.changedRuns(from: before),
                       [ChangedRun(row: 0, columns: 2..<3), ChangedRun(row: 0, columns: 5..<7)])
        XCTAssertEqual(after.changedRuns(from: before, joiningGaps: 2), [ChangedRun(row: 0, columns: 2..<7)])
        XCTAssertEqual(after.changedRuns(from: before, joiningGaps: 1), after.changedRuns(from: before))
        // A role or boldness is a change too, though the character stays.
        var bolder = before
        bolder.paint(row: 2, column: 0, width: 1, role: .plain, bold: true)
        XCTAssertEqual(bolder.changedRuns(from: before), [ChangedRun(row: 2, columns: 0..<1)])
        XCTAssertEqual(frame(["abcdefghij", "same", "x"], role: .dest).changedRuns(from: before).map(\.row), [0, 1, 2])
    }

    func testAStretchNeverStartsOrEndsInsideAWideCharacter() {
        // A wide character whose right half changed is rewritten whole, old or new.
        let before = frame(["ab畳cd"])
        let after = frame(["ab畳xd"])
        XCTAssertEqual(after.changedRuns(from: before), [ChangedRun(row: 0, columns: 4..<5)])
        let moved = frame(["abc畳d"])
        XCTAssertEqual(moved.changedRuns(from: before), [ChangedRun(row: 0, columns: 2..<5)])
        let narrow = frame(["ab  cd"])
        XCTAssertEqual(narrow.changedRuns(from: before), [ChangedRun(row: 0, columns: 2..<4)])
        let other = frame(["ab込cd"])
        XCTAssertEqual(other.changedRuns(from: before), [ChangedRun(row: 0, columns: 2..<4)])
        var half = before
        half[0, 3] = Cell("z")
        XCTAssertEqual(half.changedRuns(from: before), [ChangedRun(row: 0, columns: 2..<4)],
                       "a new cell over the old right half takes the old left half with it")
        for (a, b) in [(before, moved), (moved, before), (narrow, other), (other, narrow), (half, other)] {
            for run in b.changedRuns(from: a) {
                for f in [a, b] {
                    XCTAssertFalse(f[run.row, run.columns.lowerBound].isContinuation, "\(run)")
                    if run.columns.upperBound < size.width {
                        XCTAssertFalse(f[run.row, run.columns.upperBound].isContinuation, "\(run)")
                    }
                }
            }
        }
    }

    func testApplyingTheStretchesTurnsTheOldFrameIntoTheNew() {
        var generator = SplitMix64(seed: 5)
        let alphabet: [Character] = ["a", "b", " ", "畳", "込", "·"]
        func random() -> Frame {
            var f = Frame(size: size)
            for row in 0..<size.height {
                var x = 0
                while x < size.width {
                    let ch = alphabet[generator.integer(0, alphabet.count - 1)]
                    let role = Role.allCases[generator.integer(0, 2)]
                    x = f.put(String(ch), row: row, column: x, role: role)
                    if DisplayWidth.of(ch) == 2, x < size.width, generator.integer(0, 1) == 0 { x += 1 }
                }
            }
            return f
        }
        for _ in 0..<500 {
            let old = random(), new = random()
            for gaps in [0, 3] {
                var screen = old
                let runs = new.changedRuns(from: old, joiningGaps: gaps)
                for run in runs {
                    for x in run.columns { screen[run.row, x] = new[run.row, x] }
                }
                XCTAssertEqual(screen, new)
                for (a, b) in zip(runs, runs.dropFirst()) where a.row == b.row {
                    XCTAssertGreaterThan(b.columns.lowerBound, a.columns.upperBound + gaps, "stretches do not touch")
                }
            }
        }
    }
}
