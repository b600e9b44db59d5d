import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `render --format svg|html`: every frame written is well-formed XML and says, row by row,
/// what `render --format text` of the same step says. Both sides come from running the binary.
final class ExportFormatTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tatami-export-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The frames of `render LESSON --all --format text`, each as its rows, checked against the
    /// line that names each step; the frames of questions asked before a step are left out.
    private func textFrames(_ arguments: [String], height: Int) throws -> [[String]] {
        let r = try Executable.run(["render"] + arguments + ["--all", "--format", "text"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var frames: [[String]] = []
        var at = 0
        while at + height < lines.count {
            if lines[at].hasPrefix("── question before step \(frames.count + 1)/") {
                at += height + 1
                continue
            }
            XCTAssertTrue(lines[at].hasPrefix("── step \(frames.count + 1)/"), lines[at])
            frames.append(Array(lines[(at + 1)...(at + height)]))
            at += height + 1
        }
        return frames
    }

    func testEverySVGOfLessonOneParsesAndHoldsTheTextOfItsFrame() throws {
        for lang in ["en", "ja"] {
            let out = folder + "/svg-" + lang
            let r = try Executable.run(["render", "01", "--lang", lang, "--all", "--format", "svg", "-o", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, "")
            let frames = try textFrames(["01", "--lang", lang], height: 32)
            XCTAssertEqual(frames.count, try ShownSteps.of("01-sliding-filter.md").count)
            let all = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
            // A question's frame is a file of its own beside the step it comes before.
            let files = all.filter { !$0.hasSuffix("-question.svg") }
            XCTAssertEqual(files, (1...frames.count).map { String(format: "step-%03d.svg", $0) })
            XCTAssertFalse(all.count == files.count, "lesson 01 asks questions")
            for question in all where question.hasSuffix("-question.svg") {
                XCTAssertTrue(files.contains(question.replacingOccurrences(of: "-question", with: "")), question)
            }
            for (k, file) in files.enumerated() {
                let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + file))
                let reading = try XCTUnwrap(XMLText.read(data, element: "text"), "\(lang) \(file) is not well-formed XML")
                XCTAssertEqual(reading.root, "svg")
                XCTAssertEqual(reading.texts.map(Self.trimmed), frames[k], "\(lang) \(file)")
            }
        }
    }

    func testTheHTMLFragmentHoldsTheTextOfItsFrame() throws {
        for lang in ["en", "ja"] {
            let frames = try textFrames(["01", "--lang", lang], height: 32)
            for step in [1, 3, 7, 12, 25, 50] {
                let r = try Executable.run(["render", "01", "--lang", lang, "--step", "\(step)", "--format", "html"])
                XCTAssertEqual(r.status, 0, r.stderr)
                XCTAssertTrue(r.stdout.hasPrefix("<pre "), r.stdout)
                XCTAssertTrue(r.stdout.contains("<span style=\"color:#"), "the roles' colours are inline styles")
                let reading = try XCTUnwrap(XMLText.read(Data(r.stdout.utf8), element: "pre"), "step \(step): not well-formed")
                let rows = reading.texts.joined().split(separator: "\n", omittingEmptySubsequences: false).map { Self.trimmed(String($0)) }
                XCTAssertEqual(rows, frames[step - 1], "\(lang) step \(step)")
            }
        }
    }

    /// One frame goes to `-o FILE` as it goes to stdout; `--format text|ansi` are `--color never|always`.
    func testOneFrameToAFileAndTheTextFormatsAreTheColorModes() throws {
        let file = folder + "/frame.svg"
        let written = try Executable.run(["render", "01", "--step", "7", "--format", "svg", "-o", file])
        XCTAssertEqual(written.status, 0, written.stderr)
        let printed = try Executable.run(["render", "01", "--step", "7", "--format", "svg"])
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), printed.stdout)
        for (format, color) in [("text", "never"), ("ansi", "always")] {
            let a = try Executable.run(["render", "01", "--step", "7", "--format", format])
            let b = try Executable.run(["render", "01", "--step", "7", "--color", color])
            XCTAssertEqual(a.status, 0, a.stderr)
            XCTAssertEqual(a.stdout, b.stdout, format)
        }
        let texts = folder + "/texts"
        let all = try Executable.run(["render", "01", "--all", "--format", "text", "-o", texts])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: texts).filter { !$0.hasSuffix("-question.txt") }.count,
                       try ShownSteps.of("01-sliding-filter.md").count)
        XCTAssertEqual(try String(contentsOfFile: texts + "/step-007.txt", encoding: .utf8),
                       try Executable.run(["render", "01", "--step", "7", "--format", "text"]).stdout)
    }

    func testRefusedCombinationsAreOneSentenceWithExitCode64() throws {
        let cases: [([String], String)] = [
            (["render", "01", "--all", "--format", "svg"],
             "--all --format svg writes one file per step; give the folder to write them into with -o."),
            (["render", "01", "--format", "html", "--color", "always"],
             "--format and --color cannot be given together; --format text is --color never and --format ansi is --color always."),
            (["render", "01", "--format", "pdf"], "--format must be text, ansi, svg or html, not \"pdf\"."),
            (["render", "01", "-o", ""], "-o needs a file name (with --all, a folder name)."),
        ]
        for (arguments, line) in cases {
            let r = try Executable.run(arguments, directory: folder)
            XCTAssertEqual(r.status, 64, "\(arguments): \(r.stderr)")
            XCTAssertEqual(r.stderr, "tatami: \(line)\n", "\(arguments)")
            XCTAssertEqual(r.stdout, "")
        }
        // A file where a folder is wanted is what the command line names, not how it is written.
        FileManager.default.createFile(atPath: folder + "/plain-file", contents: Data())
        let r = try Executable.run(["render", "01", "--all", "--format", "svg", "-o", folder + "/plain-file"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }

    private static func trimmed(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// The text inside each element of one name, collected by Foundation's XML parser; nil when
/// the document is not well-formed.
final class XMLText: NSObject, XMLParserDelegate {
    private let element: String
    private var depth = 0
    private(set) var texts: [String] = []
    private(set) var root: String?

    private init(element: String) { self.element = element }

    static func read(_ data: Data, element: String) -> (root: String?, texts: [String])? {
        let collector = XMLText(element: element)
        let parser = XMLParser(data: data)
        parser.delegate = collector
        guard parser.parse() else { return nil }
        return (collector.root, collector.texts)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name }
        if name == element {
            if depth == 0 { texts.append("") }
            depth += 1
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == element { depth -= 1 }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if depth > 0 { texts[texts.count - 1] += string }
    }
}
