import Foundation
import XCTest

/// `tatami export`: the page is written where -o says, in the language and view asked, for a
/// lesson or free play; what cannot be exported is one sentence and a non-zero exit.
final class ExportCommandTests: XCTestCase {
    private var folder = ""
    private let utf8 = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tatami-page-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func testALessonBecomesOnePageInTheLanguageAsked() throws {
        for (language, title) in [("en", "The sliding filter"), ("ja", "フィルタをずらしながら掛ける")] {
            let file = folder + "/lesson-\(language).html"
            let r = try Executable.run(["export", "01", "-o", file, "--lang", language], environment: utf8)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout + r.stderr, "", "nothing is said when all is well")
            let page = try String(contentsOfFile: file, encoding: .utf8)
            XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"\(language)\">"), language)
            XCTAssertTrue(page.contains("<title>\(title)</title>"), language)
            XCTAssertTrue(page.hasSuffix("</html>\n"))
        }
        // The folder holds the two pages and nothing left over from writing them.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).sorted(), ["lesson-en.html", "lesson-ja.html"])
    }

    func testFreePlayTakesTheSameOptionsAsRender() throws {
        let file = folder + "/pool.html"
        let r = try Executable.run(["export", "--op", "pool", "--shape", "1,1,4,4", "--passes", "backward",
                                    "--size", "80x24", "-o", file], environment: utf8)
        XCTAssertEqual(r.status, 0, r.stderr)
        let page = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(page.contains("<title>max pool 2×2 · stride 2 · pad 0 · x 4×4</title>"), "the page is titled by the layer's settings")
        XCTAssertTrue(page.contains(#""columns":80"#) && page.contains(#""lines":24"#), "frames drawn at --size")
    }

    func testWhatCannotBeExportedIsOneSentence() throws {
        FileManager.default.createFile(atPath: folder + "/old.html", contents: Data("old".utf8))
        // The steps of a large free play, as `render` counts them when refusing a step past them.
        let large = ["--op", "conv", "--shape", "1,1,40,40", "--filter", "1,1,3,3"]
        let render = try Executable.run(["render"] + large + ["--step", "1000000"], environment: utf8)
        let most = try XCTUnwrap(render.stderr.range(of: #"at most [0-9]+"#, options: .regularExpression), render.stderr)
        let steps = render.stderr[most].dropFirst("at most ".count)
        let cases: [([String], Int32, String)] = [
            (["export", "01"], 64, "Missing expected argument '--output <output>'."),
            (["export", "-o", folder + "/a.html"], 64, "name a lesson (see `tatami list`) or use --op conv|pool for free play."),
            (["export", "01", "-o", ""], 64, "-o needs a file name, such as lesson.html."),
            (["export", "01", "-o", folder], 1, "-o \(folder) is a folder; give a file name such as \(folder)/lesson.html."),
            (["export", "01", "-o", folder + "/missing/a.html"], 1,
             "the folder of -o \(folder)/missing/a.html does not exist; create it first or choose another file."),
            (["export", "01", "--size", "60x20", "-o", folder + "/old.html"], 64,
             "lesson 01 needs at least 64x20; --size 60x20 is too small."),
            (["export"] + large + ["-o", folder + "/old.html"], 1,
             "free play shows \(steps) steps, more than the 2000 a page holds; use smaller shapes."),
        ]
        for (arguments, status, sentence) in cases {
            let r = try Executable.run(arguments, environment: utf8)
            XCTAssertEqual(r.status, status, "\(arguments): \(r.stderr)")
            XCTAssertEqual(r.stderr, "tatami: \(sentence)\n", "\(arguments)")
            XCTAssertEqual(r.stdout, "")
        }
        XCTAssertEqual(try String(contentsOfFile: folder + "/old.html", encoding: .utf8), "old", "a refused export leaves the file alone")
    }
}
