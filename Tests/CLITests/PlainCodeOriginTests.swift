import Foundation
import XCTest

/// `play --plain` and `practice --plain` say where each code line comes from, as the code pane
/// does: a line said to be the article's is found verbatim in the article, a line said to be
/// added is not in it, and an adapted line names a line the article has.
final class PlainCodeOriginTests: XCTestCase {
    /// One `Code (…): …` line of the plain output, split into where the line comes from and the
    /// code. The code is one of the trace's code lines; the longest that ends the line wins, as
    /// an adapted line's origin quotes code of its own.
    struct Said {
        var origin: String
        var code: String
    }

    static func said(_ output: String, codes: [String], language: String) -> [Said] {
        let (open, close) = language == "ja" ? ("コード（", "）: ") : ("Code (", "): ")
        return output.split(separator: "\n").compactMap { line -> Said? in
            guard line.hasPrefix(open) else { return nil }
            let code = codes.filter { line.hasSuffix(close + $0) }.max { $0.count < $1.count } ?? ""
            let origin = line.dropFirst(open.count).dropLast(close.count + code.count)
            return Said(origin: String(origin), code: code)
        }
    }

    /// What the article says of `code`, in the words the plain reader uses: a line of the
    /// article is its own, verbatim; any other line is adapted from one of its lines (which the
    /// origin quotes) or added (with a reason).
    private func check(_ said: Said, statements: Set<String>, language: String, where place: String) {
        let ja = language == "ja"
        let verbatim = ja ? "記事のコードそのまま" : "the article's, verbatim"
        let adapted = ja ? "記事の行 " : "adapted from the article's "
        let added = ja ? "記事にない行、Tatami が追加: " : "added by Tatami: "
        XCTAssertFalse(said.code.isEmpty, "\(place): a code line the trace does not have: \(said.origin)")
        if statements.contains(said.code) {
            XCTAssertTrue(said.origin == verbatim || said.origin.hasPrefix(verbatim + (ja ? "。" : "; ")),
                          "\(place): the article's own line is said to be \(said.origin): \(said.code)")
        } else if said.origin.hasPrefix(adapted) {
            // The article's line, then what changed.
            let rest = said.origin.dropFirst(adapted.count)
            let quoted = statements.filter { rest.hasPrefix($0 + (ja ? " を変更: " : ": ")) }
            XCTAssertFalse(quoted.isEmpty, "\(place): adapted from a line the article lacks: \(said.origin)")
            XCTAssertTrue(quoted.contains { rest.count > $0.count + 4 }, "\(place): no change said: \(said.origin)")
        } else {
            XCTAssertTrue(said.origin.hasPrefix(added) && said.origin.count > added.count + 3,
                          "\(place): a line not in the article is said to be \(said.origin): \(said.code)")
        }
    }

    func testEveryLessonSaysWhereItsCodeComesFromInBothLanguages() throws {
        let statements = CourseScreenTests.statements(try CourseScreenTests.article())
        var counts: [String: Int] = [:]
        for lesson in try CourseScreenTests.lessons() {
            let codes = try CourseScreenTests.codes(CourseScreenTests.header(lesson)).compactMap { $0["text"] as? String }
            for language in ["en", "ja"] {
                let r = try Executable.run(["play", lesson, "--plain", "--lang", language],
                                           stdin: String(repeating: "\n", count: 600), timeout: 60)
                XCTAssertEqual(r.status, 0, r.stderr)
                let said = Self.said(r.stdout, codes: codes, language: language)
                XCTAssertFalse(said.isEmpty, "lesson \(lesson) \(language) says no code:\n\(r.stdout.prefix(2000))")
                // Every line that starts like a code line is one.
                let announced = r.stdout.split(separator: "\n").filter { $0.hasPrefix(language == "ja" ? "コード" : "Code") }
                XCTAssertEqual(announced.count, said.count, "lesson \(lesson) \(language)")
                for s in said {
                    check(s, statements: statements, language: language, where: "lesson \(lesson) \(language)")
                    let kind = statements.contains(s.code) ? "article" : s.origin.contains(language == "ja" ? "を変更" : "adapted") ? "adapted" : "added"
                    counts[kind, default: 0] += 1
                }
            }
        }
        // The course has lines of all three kinds.
        XCTAssertGreaterThan(counts["article"] ?? 0, 50)
        XCTAssertGreaterThan(counts["adapted"] ?? 0, 0)
        XCTAssertGreaterThan(counts["added"] ?? 0, 10)
    }

    /// Lesson 01 begins with the article's `def forward(self, x):` and pads with a line the
    /// article does not have; a practice reads its code the same way.
    func testLessonOneAndAPracticeSayItOfTheirFirstLines() throws {
        let statements = CourseScreenTests.statements(try CourseScreenTests.article())
        XCTAssertTrue(statements.contains("def forward(self, x):"))
        let play = try Executable.run(["play", "01", "--plain"], stdin: "\n\nq\n", timeout: 30)
        XCTAssertEqual(play.status, 0, play.stderr)
        XCTAssertTrue(play.stdout.contains("\nCode (the article's, verbatim): def forward(self, x):\n"), play.stdout)
        let padLine = "x = np.pad(x, [(0, 0), (0, 0), (pad_ud, pad_ud), (pad_lr, pad_lr)], \"constant\")"
        XCTAssertFalse(statements.contains(padLine))
        XCTAssertTrue(play.stdout.split(separator: "\n").contains { $0.hasPrefix("Code (added by Tatami: ") && $0.hasSuffix("): " + padLine) },
                      play.stdout)

        let codes = try CourseScreenTests.codes(CourseScreenTests.header("01")).compactMap { $0["text"] as? String }
        for language in ["en", "ja"] {
            let practice = try Executable.run(["practice", "01", "--plain", "--lang", language],
                                              stdin: String(repeating: "\n", count: 200), timeout: 60)
            XCTAssertEqual(practice.status, 0, practice.stderr)
            let said = Self.said(practice.stdout, codes: codes, language: language)
            XCTAssertGreaterThan(said.count, 2, practice.stdout)
            for s in said { check(s, statements: statements, language: language, where: "practice 01 \(language)") }
        }
    }
}
