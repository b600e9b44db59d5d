import Foundation
import XCTest

/// `render` and `record` at a size below what the lesson needs are refused with the size it
/// needs, instead of writing frames that only say "terminal too small".
final class FrameSizeTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tatami-size-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testRenderBelowTheLessonsMinimumNamesTheSizeNeeded() throws {
        for (lesson, size) in [("1", "60x20"), ("01", "64x19"), ("10", "20x5")] {
            let r = try Executable.run(["render", lesson, "--size", size])
            XCTAssertEqual(r.status, 64, r.stderr)
            XCTAssertEqual(r.stderr, "tatami: lesson \(lesson) needs at least 64x20; --size \(size) is too small.\n")
            XCTAssertEqual(r.stdout, "")
        }
        let free = try Executable.run(["render", "--op", "pool", "--all", "--size", "50x40"])
        XCTAssertEqual(free.stderr, "tatami: free play needs at least 64x20; --size 50x40 is too small.\n")
        XCTAssertEqual(free.status, 64)
    }

    func testRenderAtTheMinimumDrawsTheLesson() throws {
        let r = try Executable.run(["render", "1", "--size", "64x20", "--color", "never", "--lang", "en"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.contains("too small"), r.stdout)
        XCTAssertTrue(r.stdout.contains("The sliding filter"), r.stdout)
        XCTAssertEqual(r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().count, 20)
    }

    func testRecordBelowTheMinimumWritesNothing() throws {
        let out = folder + "/small.cast"
        let r = try Executable.run(["record", "1", "-o", out, "--size", "80x10"])
        XCTAssertEqual(r.status, 64, r.stderr)
        XCTAssertEqual(r.stderr, "tatami: lesson 1 needs at least 64x20; --size 80x10 is too small.\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }
}
