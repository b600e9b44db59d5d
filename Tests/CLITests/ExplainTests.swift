import Foundation
import XCTest

/// `tatami explain` as a user runs it: one JSON object, and one sentence for a cell that does
/// not exist.
final class ExplainTests: XCTestCase {
    /// Lesson 01 is the article's example: a 4×4 input 1…16, a 2×2 filter, stride 1, no pad, so
    /// y[0, 0, 1, 1] comes from the window whose top-left cell is x[0, 0, 1, 1].
    func testLesson01OutputComesFromItsWindow() throws {
        let r = try Executable.run(["explain", "01", "--cell", "y[0,0,1,1]", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "exactly one JSON object: \(r.stdout)")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let cell = try XCTUnwrap(object["cell"] as? [String: Any])
        XCTAssertEqual(cell["tensor"] as? String, "y")
        XCTAssertEqual(cell["index"] as? [Int], [0, 0, 1, 1])
        let expected: Double = 1 * 6 + 2 * 7 + 3 * 10 + 4 * 11
        XCTAssertEqual((object["value"] as? NSNumber)?.doubleValue, expected, "the filter 1 2 3 4 over the window 6 7 10 11")
        let sources = try XCTUnwrap(object["sources"] as? [[String: Any]])
        let named = Set(sources.map { ($0["tensor"] as? String ?? "?") + "\($0["index"] as? [Int] ?? [])" })
        var window = Set<String>()
        for h in 1...2 { for w in 1...2 { window.insert("x[0, 0, \(h), \(w)]") } }
        XCTAssertEqual(named.filter { $0.hasPrefix("x") }, window)
        XCTAssertEqual(named.filter { $0.hasPrefix("w") }.count, 4, "every cell of the one filter")
        let steps = try XCTUnwrap(object["steps"] as? [[String: Any]])
        // The zero bias and the identity change nothing, so lesson 01 shows one step of each:
        // the others have no step.
        XCTAssertTrue(steps.allSatisfy { ($0["step"] is Int || ["bias", "activation"].contains($0["phase"] as? String)) && $0["text"] is String }, "\(steps)")
        XCTAssertTrue(steps.contains { ($0["text"] as? String) == "u[0, 4] = 1·6 + 2·7 + 3·10 + 4·11 = 94" }, "\(steps)")
        XCTAssertEqual((object["uses"] as? [Any])?.count, 0, "the last output goes nowhere")
    }

    func testACellThatDoesNotExistIsOneSentence() throws {
        for cell in ["y[0,0,9,0]", "nosuch[0]", "y[0,0]"] {
            let r = try Executable.run(["explain", "01", "--cell", cell])
            XCTAssertEqual(r.status, 1, "\(cell): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(cell): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("tatami: ") && r.stderr.hasSuffix(".\n"), "\(cell): \(r.stderr)")
            XCTAssertEqual(r.stdout, "")
        }
    }
}
