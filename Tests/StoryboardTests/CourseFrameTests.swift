import Foundation
import XCTest
import Engine
import Trace
import Lessons
import Storyboard

/// Frames of the course that a close reading beside the article found wrong, each checked
/// against what the layer's arithmetic says, worked out here: which matrix is which way round
/// under `--layout rows`, where a bias goes, which numbers a question may show before its
/// answer, and which tensors a question may name.
final class CourseFrameTests: XCTestCase {
    private let size = Size(width: 120, height: 40)

    // MARK: - Captions under --layout rows

    /// The plain form with the rows layout: im2col gives (B·OH·OW, C·FH·FW) and its transpose
    /// feeds w@x; backward, w.T@dact is (C·FH·FW, B·OH·OW) and col2im needs its transpose.
    /// Sizes chosen so that every matrix is visibly one way round (9 placements, 4 filter cells).
    func testRowsLayoutCaptionsFollowTheMatrixProducts() throws {
        let (b, c, h, w, m, f) = (1, 1, 4, 4, 2, 2)
        var s = Scenario(operation: .conv, passes: .backward, x: Fixtures.ramp([b, c, h, w]), w: Fixtures.ramp([m, c, f, f]))
        s.layout = .rows
        let board = Fixtures.board(s)
        let placements = b * (h - f + 1) * (w - f + 1), filterCells = c * f * f
        let byPlacement = "(b,oh,ow)", byFilterCell = "(c,fh,fw)"
        func heading(_ name: String, _ rows: Int, _ columns: Int, _ rowAxes: String, _ columnAxes: String) -> String {
            "\(name)  (\(rows), \(columns))  \(rowAxes)×\(columnAxes)"
        }
        let expected: [(phase: String, heading: String)] = [
            ("im2col", heading("cols", placements, filterCells, byPlacement, byFilterCell)),
            ("gemm", heading("cols_T", filterCells, placements, byFilterCell, byPlacement)),
            ("grad-cols", heading("grad_cols", filterCells, placements, byFilterCell, byPlacement)),
            ("col2im", heading("grad_cols_T", placements, filterCells, byPlacement, byFilterCell)),
        ]
        for (phase, heading) in expected {
            let text = board.frame(at: lastStep(board, phase), size: size, options: ViewOptions()).text
            XCTAssertTrue(text.contains(heading), "\(phase): \(heading)\n\(text)")
        }
        // The wrong way round is never drawn.
        let all = (0..<board.stepCount).map { board.frame(at: $0, size: size, options: ViewOptions()).text }.joined()
        XCTAssertFalse(all.contains(heading("grad_cols", placements, filterCells, byPlacement, byFilterCell)))
        XCTAssertFalse(all.contains(heading("grad_cols", filterCells, placements, byPlacement, byFilterCell)))
    }

    /// Pooling keeps the article's im2col whatever the layout asked for: (C·PH·PW, B·OH·OW),
    /// then one row per (placement, channel).
    func testPoolingKeepsTheArticlesLayoutAndSaysSo() throws {
        let (b, c, h, w, p) = (1, 2, 4, 4, 2)
        var s = Scenario(operation: .pool, x: Fixtures.ramp([b, c, h, w]), stride: Pair(p), pool: Pair(p))
        s.layout = .rows
        let board = Fixtures.board(s)
        let placements = b * (h / p) * (w / p)
        let text = board.frame(at: lastStep(board, "im2col"), size: size, options: ViewOptions()).text
        XCTAssertTrue(text.contains("cols  (\(c * p * p), \(placements))  (c,fh,fw)×(b,oh,ow)"), text)
        let rows = board.frame(at: lastStep(board, "pool-rows"), size: size, options: ViewOptions()).text
        XCTAssertTrue(rows.contains("x_rows  (\(placements * c), \(p * p))  (b,oh,ow,c)×(fh,fw)"), rows)
        XCTAssertFalse(text.contains("(b,oh,ow)×(c,fh,fw)") && text.contains("cols  ("), "no rows-layout caption on pooling")
    }

    // MARK: - The bias broadcast

    /// In the plain form b (M, 1) is added along a row of u (M, B·OH·OW); in the BaseLayer form
    /// b (M,) along a column of u (B·OH·OW, M). The broadcast panel's legs say so.
    func testTheBroadcastPanelSendsEachBiasAlongItsFiltersLine() throws {
        for (file, hub, legs) in [("04-bias-reshape-transpose.md", "b[0, 0]", { (j: Int) in "u[0, \(j)]" }),
                                  ("04b-base-form.md", "b[0]", { (j: Int) in "u[\(j), 0]" })] {
            let lesson = try XCTUnwrap(LabelTruthTests.shippedLessons().first { $0.path.hasSuffix(file) })
            let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
            let x = lesson.scenario.x.shape, f = try XCTUnwrap(lesson.scenario.w).shape
            let placements = x[0] * (x[2] - f[2] + 1) * (x[3] - f[3] + 1)
            for k in 1...placements {
                let text = board.frame(at: Fixtures.step(board, "bias", k), size: size, options: ViewOptions()).text
                let panel = text.split(separator: "\n").map(String.init).filter { $0.contains("→ u[") }
                XCTAssertEqual(panel.count, placements, "\(file) bias step \(k):\n\(text)")
                for j in 0..<placements {
                    XCTAssertTrue(panel[j].hasSuffix("→ " + legs(j)), "\(file) bias step \(k), leg \(j): \(panel[j])")
                }
                XCTAssertTrue(panel.contains { $0.contains(hub + " ─") }, "\(file): the hub is \(hub)\n\(text)")
            }
        }
    }

    // MARK: - Questions

    /// Lesson 08 asks what col2im leaves in the centre and the corners. The counts of windows
    /// covering each cell, worked out here, appear on no frame before the step that finishes
    /// col2im, in either language, summary included; that step shows them.
    func testLesson08ShowsTheCountsOnlyWhenCol2imHasFinished() throws {
        let lesson = try XCTUnwrap(LabelTruthTests.shippedLessons().first { $0.path.hasSuffix("08-col2im-accumulation.md") })
        let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
        let x = lesson.scenario.x.shape, f = try XCTUnwrap(lesson.scenario.w).shape
        let (oh, ow) = (x[2] - f[2] + 1, x[3] - f[3] + 1)
        let counts = (0..<x[2]).map { i in
            (0..<x[3]).map { j in
                (0..<oh).filter { $0 <= i && i < $0 + f[2] }.count * (0..<ow).filter { $0 <= j && j < $0 + f[3] }.count
            }
        }
        let said = counts.map { $0.map(String.init).joined(separator: " ") }.joined(separator: " / ")
        XCTAssertEqual(said, "1 2 1 / 2 4 2 / 1 2 1")
        let done = lastStep(board, "col2im")
        // A narration may wrap anywhere: the frame is read as one line of words.
        func words(_ frame: Frame) -> String { frame.text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        for language in [Language.en, .ja] {
            let options = ViewOptions(language: language)
            for position in 0..<done {
                XCTAssertFalse(words(board.frame(at: position, size: size, options: options)).contains(said), "\(language) step \(position + 1)")
                if let asking = board.questionFrame(before: position + 1, size: size, options: options) {
                    XCTAssertFalse(words(asking).contains(said), "\(language): the question before step \(position + 2)")
                }
            }
            XCTAssertTrue(words(board.frame(at: done, size: size, options: options)).contains(said), "\(language)")
        }
        XCTAssertFalse(lesson.summary.en.contains(said) || lesson.summary.ja.contains(said))
    }

    /// A question names only tensors the student can see while it is asked: every tensor name of
    /// the trace in a prompt is the heading of a grid on the question's frame.
    func testEveryTensorAQuestionNamesIsOnItsFrame() throws {
        var asked = 0
        for lesson in try LabelTruthTests.shippedLessons() where !lesson.questions.isEmpty {
            let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
            // Names that are also words or axis letters (x, w, b, u, y, out) count only as cells:
            // `out[0,0,0,2]`, not "what comes out".
            let names = Set(board.trace.tensors.map(\.name).filter { $0.count > 3 || $0.contains("_") })
            let cellNames = Set(board.trace.tensors.map(\.name))
            for position in 0..<board.stepCount {
                for language in [Language.en, .ja] {
                    let options = ViewOptions(language: language)
                    guard let frame = board.questionFrame(before: position, size: size, options: options) else { continue }
                    let prompt = try XCTUnwrap(board.asked(before: position, language: language)).prompt
                    let named = prompt.matches(of: /([A-Za-z_][A-Za-z0-9_]*)(\[?)/).compactMap { m -> String? in
                        let name = String(m.output.1)
                        return names.contains(name) || (cellNames.contains(name) && !m.output.2.isEmpty) ? name : nil
                    }
                    for name in Set(named) {
                        XCTAssertTrue(frame.text.contains("\(name)  ("), "\(lesson.path) before step \(position + 1) (\(language)) names \(name), which is not on screen:\n\(frame.text)")
                    }
                    asked += 1
                }
            }
        }
        XCTAssertGreaterThan(asked, 20)
    }

    /// The course's own example of the rule above: lesson 10's question on the routing step.
    func testLesson10AsksAboutTheRoutingWithWhatIsOnScreen() throws {
        let lesson = try XCTUnwrap(LabelTruthTests.shippedLessons().first { $0.path.hasSuffix("10-max-pooling-backward.md") })
        let board = Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
        let position = Fixtures.step(board, "route", 2)
        let frame = try XCTUnwrap(board.questionFrame(before: position, size: size, options: ViewOptions())).text
        let prompt = try XCTUnwrap(board.asked(before: position, language: .en)).prompt
        XCTAssertTrue(frame.contains("Question: " + prompt.prefix(40)), frame)
        XCTAssertFalse(frame.contains("max_index  ("), "max_index is not drawn at the routing step")
        XCTAssertFalse(prompt.contains("max_index"), prompt)
        for name in ["grad  (", "x_pad  (", "grad_rows  ("] { XCTAssertTrue(frame.contains(name), name) }
    }

    private func lastStep(_ board: Storyboard, _ title: String) -> Int {
        let start = Fixtures.step(board, title)
        let next = board.phases.map(\.firstStep).filter { $0 > start }.min() ?? board.stepCount
        return next - 1
    }
}
