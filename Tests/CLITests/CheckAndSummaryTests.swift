import Foundation
import XCTest

/// `tatami check` reports every problem of a lesson in one run and warns about symbols that
/// clash with the names the symbols view gives; a lesson's summary is shown by `list --summary`
/// and at the lesson's first step.
final class CheckAndSummaryTests: XCTestCase {
    private func write(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tatami-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private let head = "---\ntitle.en: T\ntitle.ja: 例\noperation: conv\nx.shape: 1,1,3,3\nw.shape: 1,1,2,2\n"

    /// A misspelt key (found when the file is read) and two body problems that only running the
    /// lesson finds (a step past its phase's end, an occurrence it does not have): all three.
    func testCheckReportsEveryProblemInOneRun() throws {
        let path = try write("bad.md", head + "strde: 2\nshow: slide, gemm\n---\n## slide\nen: a\nja: あ\n### step 9\nen: b\nja: い\n## gemm 3\nen: c\nja: う\n")
        let r = try Executable.run(["check", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("bad.md:7:1: unknown key `strde`"), r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.md:14:1: `## slide` has 4 steps in this lesson, so there is no step 9"), r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.md:17:1: there is no phase `gemm 3`"), r.stderr)
    }

    /// `w.symbols: a b c d` names weights as the symbols view names outputs (a, b, c, …): a
    /// warning, not an error. Capitals do not clash.
    func testCheckWarnsWhenASymbolIsAnOutputName() throws {
        let clash = try write("clash.md", head + "w.symbols: a b c d\n---\n## slide\nen: a\nja: あ\n")
        let r = try Executable.run(["check", clash])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("clash.md:7:1: warning: `w.symbols` uses `a`, `b`, `c`, `d`"), r.stderr)
        let fine = try write("fine.md", head + "w.symbols: W X Y Z\n---\n## slide\nen: a\nja: あ\n")
        let ok = try Executable.run(["check", fine])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertFalse(ok.stderr.contains("warning"), ok.stderr)
    }

    /// The summary of every shipped lesson, read from its file, under its line in `list
    /// --summary`, and at the start of the lesson's first frame.
    func testTheSummaryIsShownByListAndAtTheStart() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Lessons")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        let list = try Executable.run(["list", "--summary", "--lang", "en"], directory: root.path)
        XCTAssertEqual(list.status, 0, list.stderr)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let summary = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("summary.en:") })
                .dropFirst("summary.en:".count).trimmingCharacters(in: .whitespaces)
            let at = try XCTUnwrap(lines.firstIndex { $0.contains(name) }, name)
            XCTAssertEqual(lines[at + 1].trimmingCharacters(in: .whitespaces), summary, name)
        }
        let plain = try Executable.run(["list", "--lang", "en"], directory: root.path)
        XCTAssertEqual(plain.stdout.split(separator: "\n").count, names.count, "without --summary, one line per lesson")
        let first = try Executable.run(["render", "02", "--step", "1", "--lang", "en", "--color", "never", "--size", "100x40"], directory: root.path)
        XCTAssertTrue(first.stdout.replacingOccurrences(of: "\n", with: " ").contains("One column per filter placement, one row per filter cell"), first.stdout)
        let second = try Executable.run(["render", "02", "--step", "2", "--lang", "en", "--color", "never", "--size", "100x40"], directory: root.path)
        XCTAssertFalse(second.stdout.contains("One column per filter placement, one row per filter cell"), second.stdout)
    }
}
