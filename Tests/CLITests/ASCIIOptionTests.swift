import Foundation
import XCTest

/// `--ascii` (or `TATAMI_ASCII=1`): for terminals that draw the symbols of East Asian ambiguous
/// width two columns wide, frames draw those symbols in ASCII and keep Japanese.
final class ASCIIOptionTests: XCTestCase {
    /// Characters of East Asian ambiguous width (Unicode's EastAsianWidth.txt, class A) that a
    /// frame could plausibly hold: box drawing, dots, arrows, math signs, typographic quotes,
    /// Greek letters and the combining circumflex of `m̂`.
    static let ambiguous = Set(("─━│┃┌┐└┘├┤┬┴┼═║╭╮╰╯·•…‥×÷±−–—‐‘’“”′″°→←↑↓⇒⇔▶◀▲▼■□●○◎★☆≤≥≠≒≈∞√∑∈∂∇"
                                + "ΑΒΓΔΕΘΛΣΦΩαβγδεθλμπσφω¹²³¼½\u{0302}").unicodeScalars)

    private func ambiguousIn(_ text: String) -> [String] {
        Set(text.unicodeScalars.filter { Self.ambiguous.contains($0) }).map { String($0) }.sorted()
    }

    private func render(_ arguments: [String], environment: [String: String] = [:]) throws -> ExecutableResult {
        let r = try Executable.run(["render"] + arguments + ["--all", "--color", "never"],
                                   environment: ["LANG": "C.UTF-8"].merging(environment) { $1 },
                                   removing: ["LC_ALL", "LC_CTYPE", "TATAMI_ASCII"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r
    }

    func testASCIIRemovesEveryAmbiguousWidthSymbolAndKeepsJapanese() throws {
        for lesson in ["1", "2", "7", "10", "12b"] {
            for lang in ["en", "ja"] {
                let plain = try render([lesson, "--lang", lang])
                XCTAssertFalse(ambiguousIn(plain.stdout).isEmpty, "\(lesson) \(lang) draws no ambiguous symbol without --ascii")
                let ascii = try render([lesson, "--lang", lang, "--ascii"])
                XCTAssertEqual(ambiguousIn(ascii.stdout), [], "\(lesson) \(lang) --ascii")
                XCTAssertEqual(ascii.stderr, "")
                if lang == "ja" {
                    XCTAssertTrue(ascii.stdout.contains("ステップ") || ascii.stdout.contains("フィルタ"),
                                  "Japanese stays: \(ascii.stdout.prefix(600))")
                    XCTAssertEqual(ascii.stdout.filter { $0 == "?" }.count, plain.stdout.filter { $0 == "?" }.count,
                                   "no character fell back to a question mark")
                }
            }
        }
    }

    func testTheEnvironmentVariableIsTheOption() throws {
        let option = try render(["1", "--lang", "ja", "--ascii"])
        for value in ["1", "yes"] {
            let variable = try render(["1", "--lang", "ja"], environment: ["TATAMI_ASCII": value])
            XCTAssertEqual(variable.stdout, option.stdout, "TATAMI_ASCII=\(value)")
        }
        for value in ["0", ""] {
            let off = try render(["1", "--lang", "ja"], environment: ["TATAMI_ASCII": value])
            XCTAssertFalse(ambiguousIn(off.stdout).isEmpty, "TATAMI_ASCII=\(value) leaves the symbols")
        }
    }

    func testARecordingTakesASCIIOnlyWhenAsked() throws {
        let folder = NSTemporaryDirectory() + "tatami-ascii-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["LANG": "C.UTF-8", "TATAMI_ASCII": "1"]
        for (name, extra) in [("ascii", ["--ascii"]), ("unicode", [])] {
            let r = try Executable.run(["record", "1", "-o", "\(folder)/\(name).cast", "--lang", "ja", "--step-seconds", "0.1"] + extra,
                                       environment: env, removing: ["LC_ALL", "LC_CTYPE"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        let ascii = try String(contentsOfFile: folder + "/ascii.cast", encoding: .utf8)
        let unicode = try String(contentsOfFile: folder + "/unicode.cast", encoding: .utf8)
        XCTAssertEqual(ambiguousIn(ascii), [])
        XCTAssertTrue(ascii.contains("フィルタ"))
        XCTAssertFalse(ambiguousIn(unicode).isEmpty, "a recording is played elsewhere: TATAMI_ASCII alone does not change it")
    }
}
