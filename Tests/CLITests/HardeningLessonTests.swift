import Foundation
import XCTest
import Engine
import NPY

/// Lessons that try to read outside their folder, lessons at the edge of the limits, and a
/// locale without UTF-8, through the real executable.
final class HardeningLessonTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "tatami-hardening-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/course/data", withIntermediateDirectories: true)
        let array = Data(NPY.encode(Tensor(shape: [1, 1, 3, 3], data: (1...9).map(Double.init))))
        try array.write(to: URL(fileURLWithPath: root + "/outside.npy"))
        try array.write(to: URL(fileURLWithPath: root + "/course/data/inside.npy"))
        try FileManager.default.createSymbolicLink(atPath: root + "/course/data/link.npy", withDestinationPath: "../../outside.npy")
        try FileManager.default.createSymbolicLink(atPath: root + "/course/up", withDestinationPath: "..")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    private func lesson(_ name: String, _ setup: String) throws -> String {
        let text = "---\ntitle.en: t\ntitle.ja: t\noperation: conv\n\(setup)\n---\n"
        try text.write(toFile: root + "/course/" + name, atomically: true, encoding: .utf8)
        return "course/" + name
    }

    func testPathsThatLeaveTheLessonFolderAreRefused() throws {
        let escapes = ["../outside.npy", root + "/outside.npy", "data/link.npy", "up/outside.npy",
                       "data/../../outside.npy", "~/outside.npy"]
        for path in escapes {
            let file = try lesson("escape.md", "x.values: \(path)\nw.shape: 1,1,2,2")
            let result = try Executable.run(["check", file], directory: root)
            XCTAssertEqual(result.status, 1, "\(path) was accepted: \(result.stdout)")
            XCTAssertTrue(result.stderr.hasPrefix("\(file):5:"), "positioned at the value: \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("out of the lesson's folder") || result.stderr.contains("leaves the lesson's folder"),
                          "\(path): \(result.stderr)")
        }
        // The same array inside the folder is read.
        let file = try lesson("inside.md", "x.values: data/inside.npy\nw.shape: 1,1,2,2")
        let result = try Executable.run(["check", file], directory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// Every frame of every shipped lesson, rendered where the locale has no UTF-8, must be
    /// ASCII: a C-locale terminal shows other bytes as garbage.
    func testRenderInACLocaleWritesOnlyASCII() throws {
        let list = try Executable.run(["list"], environment: ["LANG": "C.UTF-8"], removing: ["LC_ALL", "LC_CTYPE"])
        let numbers = list.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        XCTAssertGreaterThan(numbers.count, 10)
        var offenders: [String] = []
        for number in numbers {
            for lang in ["en", "ja"] {
                let result = try Executable.run(["render", number, "--all", "--lang", lang, "--color", "never"],
                                                environment: ["LANG": "C"], removing: ["LC_ALL", "LC_CTYPE"])
                XCTAssertEqual(result.status, 0, result.stderr)
                let bad = Set(result.stdout.unicodeScalars.filter { !$0.isASCII }).map { String($0) }.sorted()
                if !bad.isEmpty { offenders.append("\(number) --lang \(lang): \(bad.joined(separator: " "))") }
            }
        }
        XCTAssertEqual(offenders, [], "non-ASCII characters under LANG=C")
    }

    /// A lesson is stepped through by hand: one that would show thousands of steps is refused
    /// by `check` and by every command that reads it, naming the limit.
    func testALessonOfThousandsOfStepsIsRefused() throws {
        // 64×64 placements of 8 one-cell filters: 4,096 bias steps, inside every size limit.
        // (A bias that is not zero: a phase that changes nothing would take one step.)
        let file = try lesson("long.md", "x.shape: 1,1,64,64\nw.shape: 8,1,1,1\nb.values: 1..8\nshow: bias")
        for arguments in [["check", file], ["render", file], ["play", file]] {
            let result = try Executable.run(arguments, directory: root)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stdout)")
            XCTAssertTrue(result.stderr.contains("4096 steps, over the lesson limit of 2000"), "\(arguments): \(result.stderr)")
        }
        let fits = try lesson("fits.md", "x.shape: 1,1,32,32\nw.shape: 8,1,1,1\nb.values: 1..8\nshow: bias")
        XCTAssertEqual(try Executable.run(["check", fits], directory: root).status, 0)
    }
}
