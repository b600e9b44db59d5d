import XCTest
import Foundation

/// `tatami list` and `tatami check` through the real executable.
final class LessonCommandTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    private func shippedNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root + "/Lessons")
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
    }

    func testListShowsEveryLessonInOrderInBothLanguages() throws {
        let en = try Executable.run(["list", "--lang", "en"], directory: root)
        XCTAssertEqual(en.status, 0, en.stderr)
        let lines = en.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, try shippedNames().count)
        for (line, name) in zip(lines, try shippedNames()) {
            XCTAssertTrue(line.contains(name), line)
            XCTAssertNotNil(line.range(of: #"(conv|pool) (forward|backward|update) +\d+ steps"#, options: .regularExpression), line)
        }
        XCTAssertTrue(lines[0].hasPrefix("01 "), lines[0])
        XCTAssertTrue(lines[0].hasSuffix("The sliding filter"), lines[0])
        XCTAssertTrue(lines[0].contains(" \(try ShownSteps.of("01-sliding-filter.md").count) steps"), lines[0])

        let ja = try Executable.run(["list"], environment: ["LANG": "ja_JP.UTF-8", "LC_ALL": ""], directory: root)
        XCTAssertEqual(ja.status, 0, ja.stderr)
        XCTAssertTrue(ja.stdout.split(separator: "\n")[0].hasSuffix("フィルタをずらしながら掛ける"), ja.stdout)
    }

    func testListWorksFromAnywhereWithTheBuiltInCourse() throws {
        let here = try Executable.run(["list", "--lang", "en"], directory: root)
        let elsewhere = try Executable.run(["list", "--lang", "en"], directory: "/")
        XCTAssertEqual(elsewhere.status, 0, elsewhere.stderr)
        XCTAssertEqual(elsewhere.stdout, here.stdout)
    }

    func testCheckPassesEveryShippedLesson() throws {
        let paths = try shippedNames().map { "Lessons/" + $0 }
        let result = try Executable.run(["check"] + paths, directory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").count, paths.count)
        XCTAssertTrue(result.stdout.split(separator: "\n").allSatisfy { $0.contains(": ok (") }, result.stdout)
        let byNumber = try Executable.run(["check", "1", "04b"], directory: "/")
        XCTAssertEqual(byNumber.status, 0, byNumber.stderr)
        XCTAssertTrue(byNumber.stdout.contains("Lessons/04b-base-form.md: ok"), byNumber.stdout)
    }

    func testCheckReportsEveryProblemWithItsPositionAndExitsOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tatami-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try String(contentsOfFile: root + "/Lessons/01-sliding-filter.md", encoding: .utf8)
        try good.write(to: folder.appendingPathComponent("01-good.md"), atomically: true, encoding: .utf8)
        let bad = good.replacingOccurrences(of: "stride: 1", with: "stirde: 1")
            .replacingOccurrences(of: "w.shape: 1,1,2,2", with: "w.shape: 1,3,2,2")
        try bad.write(to: folder.appendingPathComponent("02-bad.md"), atomically: true, encoding: .utf8)

        let result = try Executable.run(["check", "--lessons", folder.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("01-good.md: ok"), result.stdout)
        let problems = result.stderr.split(separator: "\n").filter { $0.contains("02-bad.md:") }
        XCTAssertEqual(problems.count, 2, result.stderr)
        XCTAssertTrue(problems[0].contains("02-bad.md:13:11: the ramp 1..4 has 4 values but w (1, 3, 2, 2) holds 12"), String(problems[0]))
        XCTAssertTrue(problems[1].contains("02-bad.md:14:1: unknown key `stirde`; did you mean `stride`?"), String(problems[1]))

        let listed = try Executable.run(["list", "--lessons", folder.path, "--lang", "en"])
        XCTAssertEqual(listed.status, 1)
        XCTAssertNotNil(listed.stdout.range(of: #"02 +02-bad\.md +has problems"#, options: .regularExpression), listed.stdout)

        let missing = try Executable.run(["check", folder.appendingPathComponent("nothing.md").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nothing.md:1:1: "), missing.stderr)
    }
}
