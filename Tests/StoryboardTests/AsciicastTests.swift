import Foundation
import XCTest
import Engine
import Lessons
import Storyboard
import Trace
import TestSupport

final class AsciicastTests: XCTestCase {
    private let size = Size(width: 100, height: 32)

    /// Records every step of a board, one second each, and the frames it recorded.
    private func record(_ board: Storyboard, options: ViewOptions = ViewOptions(),
                        title: String? = "Fixture") -> (document: String, frames: [Frame]) {
        var cast = Asciicast(header: .init(width: size.width, height: size.height, title: title))
        let frames = (0..<board.stepCount).map { board.frame(at: $0, size: size, options: options) }
        for frame in frames { cast.append(frame, holding: 1) }
        return (cast.document, frames)
    }

    private func parse(_ document: String, file: StaticString = #filePath, line: UInt = #line) throws -> ParsedCast {
        switch ParsedCast.parse(document) {
        case .success(let cast): return cast
        case .failure(let error):
            XCTFail(error.description, file: file, line: line)
            throw error
        }
    }

    private func assertScreen(_ terminal: VirtualTerminal, equals frame: Frame, _ what: String,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(terminal.problems, [], what, file: file, line: line)
        let expected = TextRenderer.plain(frame).components(separatedBy: "\n")
        XCTAssertEqual(terminal.lines.count, expected.count, what, file: file, line: line)
        for (n, (got, want)) in zip(terminal.lines, expected).enumerated() where got != want {
            XCTFail("\(what), row \(n + 1):\n got: \(got)\nwant: \(want)", file: file, line: line)
            return
        }
    }

    func testTheHeaderIsAsciicastVersionTwoOfTheFrameSize() throws {
        let (document, _) = record(Fixtures.seedExample, title: "Worked \"example\" 畳")
        let cast = try parse(document)
        XCTAssertEqual((cast.header["version"] as? NSNumber)?.intValue, 2)
        XCTAssertEqual((cast.header["width"] as? NSNumber)?.intValue, 100)
        XCTAssertEqual((cast.header["height"] as? NSNumber)?.intValue, 32)
        XCTAssertEqual(cast.header["title"] as? String, "Worked \"example\" 畳")
        XCTAssertNil(cast.header["timestamp"], "no timestamp unless one is given, so output is deterministic")
        let env = try XCTUnwrap(cast.header["env"] as? [String: Any])
        XCTAssertEqual(env["TERM"] as? String, "xterm-256color")
        XCTAssertEqual(env["SHELL"] as? String, "/bin/sh")

        let stamped = Asciicast(header: .init(width: 80, height: 24, timestamp: 1_700_000_000, shell: "/bin/zsh"))
        let header = try parse(stamped.document).header
        XCTAssertEqual((header["timestamp"] as? NSNumber)?.intValue, 1_700_000_000)
        XCTAssertEqual((header["env"] as? [String: Any])?["SHELL"] as? String, "/bin/zsh")
        XCTAssertNil(header["title"])
    }

    func testEveryEventIsOutputAtNonDecreasingTimes() throws {
        let (document, frames) = record(Fixtures.convBackward)
        let cast = try parse(document)
        XCTAssertFalse(cast.events.isEmpty)
        XCTAssertEqual(Set(cast.events.map(\.type)), ["o"])
        XCTAssertEqual(cast.events.first?.time, 0)
        for (a, b) in zip(cast.events, cast.events.dropFirst()) {
            XCTAssertLessThanOrEqual(a.time, b.time)
        }
        XCTAssertEqual(cast.events.last?.time, Double(frames.count), "the last frame is held for its second")
        XCTAssertEqual(document, record(Fixtures.convBackward).document, "the same frames make the same file")
    }

    func testTheReplayShowsEveryFrameAtItsTimeAndEndsOnTheLastOne() throws {
        for board in [Fixtures.seedExample, Fixtures.convBackward, Fixtures.pool(), Fixtures.pool(routing: .seedBug, stride: 2)] {
            let (document, frames) = record(board)
            let cast = try parse(document)
            var terminal = VirtualTerminal(width: size.width, height: size.height)
            var next = cast.events[...]
            // Frame i is on screen from second i; every event at or before then has happened.
            for (i, frame) in frames.enumerated() {
                while let event = next.first, event.time <= Double(i) {
                    terminal.feed(event.text)
                    next = next.dropFirst()
                }
                assertScreen(terminal, equals: frame, "\(board.title) step \(i + 1)")
            }
            assertScreen(cast.replay(), equals: frames[frames.count - 1], "\(board.title) at the end")
        }
    }

    func testLaterFramesWriteOnlyWhatChanged() throws {
        let board = Fixtures.seedExample
        let (document, frames) = record(board)
        let cast = try parse(document)
        let full = cast.events[0].text
        XCTAssertTrue(full.contains("\u{1B}[2J"), "the first frame clears the screen")
        XCTAssertEqual(cast.events.dropFirst().filter { $0.text.contains("\u{1B}[2J") }.count, 0)
        // Each later step writes less than drawing its frame on a cleared screen would.
        let later = cast.events.dropFirst().dropLast()
        XCTAssertEqual(later.count, frames.count - 1, "every step of this lesson changes the screen")
        for (event, frame) in zip(later, frames.dropFirst()) {
            var alone = Asciicast(header: .init(width: size.width, height: size.height))
            alone.append(frame, holding: 1)
            let whole = try parse(alone.document).events[0].text
            XCTAssertLessThan(event.text.utf8.count, whole.utf8.count, "a step redraws less than the whole screen")
        }
        XCTAssertTrue(full.contains("\u{1B}[\(TextRenderer.sgr(.heading))m"), "colours are the renderer's")

        var cast2 = Asciicast(header: .init(width: size.width, height: size.height))
        cast2.append(frames[0], holding: 1)
        cast2.append(frames[0], holding: 1)
        cast2.append(frames[0], holding: 0.5)
        let events = try parse(cast2.document).events
        XCTAssertEqual(events.map(\.time), [0, 2.5], "an unchanged frame writes nothing but still takes its time")
    }

    func testJapaneseFramesReplayWithWideCharactersInTheirColumns() throws {
        let ja = ViewOptions(language: .ja)
        let (document, frames) = record(Fixtures.convBackward, options: ja)
        XCTAssertTrue(frames.contains { TextRenderer.plain($0).unicodeScalars.contains { $0.value >= 0x3041 } })
        assertScreen(try parse(document).replay(), equals: frames[frames.count - 1], "Japanese frames")

        // Wide characters moving by one column, shrinking and giving way to narrow ones: each
        // replay must end on exactly the frame, never on half a character.
        let small = Size(width: 12, height: 2)
        let texts = ["畳み込み層", " 畳み込み層", "ab畳みc", "a畳畳畳畳畳", "a", "", "ｘ全角ｘ"]
        var frames2: [Frame] = []
        for (n, text) in texts.enumerated() {
            var frame = Frame(size: small)
            frame.put(text, row: 0, column: 0, role: n.isMultiple(of: 2) ? .plain : .window)
            frame.put(String(text.reversed()), row: 1, column: n % 3, role: .narration, bold: n == 3)
            frames2.append(frame)
        }
        var cast = Asciicast(header: .init(width: small.width, height: small.height))
        for (n, frame) in frames2.enumerated() {
            cast.append(frame, holding: 1)
            assertScreen(try parse(cast.document).replay(), equals: frame, "after \"\(texts[n])\"")
        }
    }

    func testTextIsEscapedAsValidJSON() throws {
        let odd = "quote \" backslash \\ tab \t bell \u{7} escape \u{1B} delete \u{7F} 畳 é 🙂 \u{2028}"
        let literal = Asciicast.jsonString(odd)
        XCTAssertFalse(literal.unicodeScalars.contains { $0.value < 0x20 }, "no raw control characters")
        XCTAssertTrue(literal.contains("\\u001b"))
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        XCTAssertEqual(parsed, [odd])

        var frame = Frame(size: Size(width: 20, height: 1))
        frame.put("\"\\x\\\"", row: 0, column: 0, role: .code)
        var cast = Asciicast(header: .init(width: 20, height: 1, title: odd))
        cast.append(frame, holding: 1)
        let back = try parse(cast.document)
        XCTAssertEqual(back.header["title"] as? String, odd)
        assertScreen(back.replay(), equals: frame, "quotes and backslashes in cells")
    }

    func testOddHoldsAndSizesNeverTrap() throws {
        var big = Frame(size: Size(width: 30, height: 6))
        big.put("a line that is longer than the screen", row: 0, column: 0)
        big.put("畳畳畳畳畳畳畳畳畳畳畳畳畳畳畳", row: 5, column: 0)
        var small = Frame(size: Size(width: 5, height: 1))
        small.put("hi", row: 0, column: 0)
        var broken = Frame(size: Size(width: 10, height: 2))
        broken[0, 0] = .continuation                         // a right half with no left half
        broken[0, 3] = Cell("畳")                             // a left half with no right half
        broken[0, 5] = Cell("\u{7}")                         // a control character
        broken[0, 9] = Cell("畳")                             // no room for the right half

        var cast = Asciicast(header: .init(width: 10, height: 3))
        cast.append(big, holding: .nan)
        cast.append(small, holding: -4)
        cast.append(broken, holding: .infinity)
        cast.append(Frame(size: Size(width: 0, height: 0)), holding: 1)
        let parsed = try parse(cast.document)
        for (a, b) in zip(parsed.events, parsed.events.dropFirst()) { XCTAssertLessThanOrEqual(a.time, b.time) }
        XCTAssertEqual(parsed.events.last?.time, Asciicast.maximumHold + 1)

        var replay = VirtualTerminal(width: 10, height: 3)
        var stepwise = Asciicast(header: .init(width: 10, height: 3))
        stepwise.append(big, holding: 1)
        for event in try parse(stepwise.document).events { replay.feed(event.text) }
        XCTAssertEqual(replay.problems, [])
        XCTAssertEqual(replay.lines, ["a line tha", "", ""], "a larger frame is clipped to the screen")
        XCTAssertEqual(try parse(cast.document).replay().problems, [])
        XCTAssertEqual(Asciicast(header: .init(width: -3, height: 0)).header.width, 1)
    }

    func testEmphasisMarksPhaseChangesNarrationAndQuestions() {
        let scenario = Scenario(operation: .conv, x: Fixtures.ramp([1, 1, 4, 4]), w: Fixtures.ramp([1, 1, 2, 2]),
                                wLabels: ["W", "X", "Y", "Z"])
        let im2col = PhaseRef(kind: .im2col)
        let lesson = Lesson(path: "fixture.md", title: Localized(en: "t", ja: "t"), summary: Localized(en: "", ja: ""),
                            scenario: scenario,
                            notes: [Note(phase: im2col, step: 3, text: Localized(en: "third", ja: "三つ目"))],
                            questions: [Question(phase: im2col, step: 5, prompt: Localized(en: "why?", ja: "なぜ？"),
                                                 answer: Localized(en: "because", ja: "だから"))])
        let board = Storyboard(lesson: lesson, trace: Fixtures.seedExample.trace)
        let first = Fixtures.step(board, "im2col")
        XCTAssertEqual(board.emphasis(ofStep: 0), .phaseChange)
        XCTAssertEqual(board.emphasis(ofStep: first), .phaseChange)
        XCTAssertEqual(board.emphasis(ofStep: first + 1), .step)
        XCTAssertEqual(board.emphasis(ofStep: first + 2), .narration)
        XCTAssertEqual(board.emphasis(ofStep: first + 4), .question)
        XCTAssertEqual(board.emphasis(ofStep: -1), .step)
        XCTAssertEqual(board.emphasis(ofStep: board.stepCount), .step)
        XCTAssertLessThan(StepEmphasis.step, StepEmphasis.question)
    }
}
