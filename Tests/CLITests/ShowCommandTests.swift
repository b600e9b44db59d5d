import XCTest
import Foundation

/// `render`, `trace` and `play` (without a terminal) through the real executable: the output
/// a script or a pipe sees, and one sentence for every bad argument (exit code 64 for the
/// command line itself, 1 for what it names).
final class ShowCommandTests: XCTestCase {
    let escape = "\u{1B}["

    func testRenderPrintsOneFrameOfTheRequestedSize() throws {
        let r = try Executable.run(["render", "1", "--step", "7", "--size", "100x31", "--color", "never", "--lang", "en", "--numbers"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 31)
        XCTAssertTrue(lines.allSatisfy { $0.count <= 100 })
        XCTAssertTrue(r.stdout.contains("The sliding filter"))
        XCTAssertTrue(r.stdout.contains("out[0, 0, 1, 1] = 6·1 + 7·2 + 10·3 + 11·4 = 94"), r.stdout)
        XCTAssertFalse(r.stdout.contains(escape))
    }

    func testRenderAllSeparatesEveryFrameWithItsStep() throws {
        let r = try Executable.run(["render", "1", "--all", "--size", "80x24", "--color", "never"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let separators = r.stdout.split(separator: "\n").filter { $0.hasPrefix("── step ") }
        let shown = try ShownSteps.of("01-sliding-filter.md")
        XCTAssertEqual(separators.count, shown.count)
        XCTAssertTrue(separators.first?.hasPrefix("── step 1/\(shown.count) · \(shown.first.rawValue)") ?? false,
                      "\(separators.first ?? "")")
        XCTAssertTrue(separators.last?.hasPrefix("── step \(shown.count)/\(shown.count) · \(shown.last.rawValue)") ?? false,
                      "\(separators.last ?? "")")
        // Deterministic: the same command prints the same bytes.
        let again = try Executable.run(["render", "1", "--all", "--size", "80x24", "--color", "never"])
        XCTAssertEqual(again.stdout, r.stdout)
    }

    func testColoursOnlyWhenAskedOrOnATerminal() throws {
        let always = try Executable.run(["render", "1", "--step", "3", "--color", "always"])
        XCTAssertTrue(always.stdout.contains(escape))
        let auto = try Executable.run(["render", "1", "--step", "3"])
        XCTAssertFalse(auto.stdout.contains(escape), "stdout is a file here, not a terminal")
        let japanese = try Executable.run(["render", "1", "--step", "3", "--lang", "ja"])
        XCTAssertTrue(japanese.stdout.contains("フィルタをずらす"), japanese.stdout)
    }

    func testBadRenderArgumentsAreOneSentence() throws {
        for (arguments, words, status) in [
            (["render", "1", "--step", "0"], "--step must be at least 1 (got 0)", 64),
            (["render", "1", "--step", "-2"], "--step must be at least 1 (got -2)", 64),
            (["render", "1", "--step", "999"], "--step must be at most", 64),
            (["render", "1", "--size", "10x2"], "outside", 64),
            (["render", "1", "--size", "wide"], "100x32", 64),
            (["render", "1", "--all", "--step", "2"], "cannot be given together", 64),
            (["render", "1", "--color", "sometimes"], "never, always or auto", 64),
            (["render", "1", "--lang", "fr"], "en or ja", 64),
            (["render"], "name a lesson", 64),
            (["render", "99"], "no lesson", 1),
        ] as [([String], String, Int32)] {
            let r = try Executable.run(arguments)
            XCTAssertEqual(r.status, status, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("tatami: ") && r.stderr.contains(words), "\(arguments): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
    }

    func testTraceWritesAHeaderAndOneLinePerEvent() throws {
        let r = try Executable.run(["trace", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(header["format"] as? String, "tatami-trace")
        XCTAssertEqual(header["events"] as? Int, lines.count - 1)
        for line in lines.dropFirst().prefix(200) {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), String(line))
        }
    }

    func testTraceOfFreePlayDescribesTheLayerAndEveryAxis() throws {
        let r = try Executable.run(["trace", "--op", "conv", "--shape", "2,1,4,4", "--filter", "2,1,2,2",
                                    "--stride", "2", "--layout", "rows", "--passes", "backward"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(header["format_version"] as? Int, 2)
        XCTAssertEqual(header["lesson"] as? String, "free play")
        let layer = try XCTUnwrap(header["layer"] as? [String: Any])
        XCTAssertEqual(layer["operation"] as? String, "conv")
        XCTAssertEqual(layer["layout"] as? String, "rows")
        XCTAssertEqual(layer["stride"] as? [Int], [2, 2])
        XCTAssertEqual(layer["filter"] as? [Int], [2, 1, 2, 2])
        let tensors = try XCTUnwrap(header["tensors"] as? [[String: Any]])
        let cols = try XCTUnwrap(tensors.first { $0["name"] as? String == "cols" })
        // The rows layout: one placement (b, oh, ow) per row, 2·2·2 = 8 of them.
        XCTAssertEqual(cols["shape"] as? [Int], [8, 4])
        XCTAssertEqual(cols["axes"] as? [String], ["b,oh,ow", "c,fh,fw"])
        XCTAssertEqual(header["events"] as? Int, lines.count - 1)
    }

    func testTraceRefusesALessonTogetherWithFreePlayAndNeither() throws {
        for arguments in [["trace", "1", "--op", "conv"], ["trace"], ["trace", "--op", "cube"]] {
            let r = try Executable.run(arguments)
            XCTAssertEqual(r.status, 64, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("tatami: "), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stdout.isEmpty)
        }
    }

    func testPlayWithoutATerminalPrintsPlainFrames() throws {
        let r = try Executable.run(["play", "1"], timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("not a terminal"), r.stderr)
        XCTAssertFalse(r.stdout.contains(escape))
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.hasPrefix("── step ") }.count,
                       try ShownSteps.of("01-sliding-filter.md").count)
    }

    func testFreePlayOnGeneratedArrays() throws {
        let r = try Executable.run(["play", "--op", "conv", "--shape", "1,2,4,4", "--filter", "2,2,3,3",
                                    "--pad", "1", "--passes", "backward"], timeout: 30)
        XCTAssertEqual(r.status, 0, r.stderr)
        // The header names the settings typed, and the defaults of those not typed.
        XCTAssertTrue(r.stdout.contains("stride 1 · pad 1 · dil 1 · filter 3×3 · x 4×4"), r.stdout)
        XCTAssertTrue(r.stdout.contains("· col2im"), "the backward pass is played")
        let pool = try Executable.run(["play", "--op", "pool", "--shape", "1,1,4,4", "--pool-mode", "average"], timeout: 30)
        XCTAssertEqual(pool.status, 0, pool.stderr)
        XCTAssertTrue(pool.stdout.contains("· pool-mean"))
        XCTAssertTrue(pool.stdout.contains("average pool 2×2 · stride 2 · pad 0 · x 4×4"), pool.stdout)
    }

    func testBadFreePlayIsOneSentence() throws {
        for (arguments, words, status) in [
            (["play", "--op", "conv", "--shape", "1000,1000,1000,1000"], "elements", 1),
            (["play", "--op", "dense"], "conv or pool", 64),
            (["play", "--shape", "1,1,4,4"], "--op", 64),
            (["play", "--op", "conv", "--shape", "1,2,4,4", "--filter", "1,3,2,2"], "channel", 1),
            (["play", "--op", "pool", "--pool", "0"], "--pool must be at least 1 (got 0)", 64),
            (["play", "--op", "conv", "--x", "/nonexistent/x.npy"], "x.npy", 1),
        ] as [([String], String, Int32)] {
            let r = try Executable.run(arguments, timeout: 30)
            XCTAssertEqual(r.status, status, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("tatami: ") && r.stderr.contains(words), "\(arguments): \(r.stderr)")
        }
    }
}
