import XCTest
import Engine
@testable import Lessons

/// Each kind of mistake a teacher can make, with the exact line and column reported.
final class ReaderErrorTests: XCTestCase {
    private func replacing(_ old: String, with new: String) -> String {
        minimal.replacingOccurrences(of: old, with: new)
    }

    private func only(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> LessonProblem? {
        let p = problems(text, file: file, line: line)
        XCTAssertEqual(p.count, 1, "\(p)", file: file, line: line)
        return p.first
    }

    func testMinimalLessonIsValid() throws {
        let l = try XCTUnwrap(lesson(minimal))
        XCTAssertEqual(l.notes.count, 1)
        XCTAssertEqual(l.notes[0].phase, PhaseRef(kind: .slide))
        XCTAssertNil(l.notes[0].step)
        XCTAssertEqual(l.notes[0].line, 10)
        XCTAssertEqual(l.scenario.x.data, (1...9).map(Double.init))
        XCTAssertEqual(l.scenario.w?.data, [1, 2, 3, 4], "symbols without values count from 1")
        XCTAssertEqual(l.setupLine, 4)
    }

    func testUnknownKeyNamesTheNearest() throws {
        let p = try XCTUnwrap(only(replacing("operation: conv", with: "operation: conv\nstirde: 2")))
        XCTAssertEqual([p.line, p.column], [5, 1])
        XCTAssertTrue(p.message.contains("`stride`"), p.message)
        XCTAssertEqual(p.description, "t.md:5:1: \(p.message)")
    }

    func testWrongKindOfValue() throws {
        let p = try XCTUnwrap(only(replacing("operation: conv", with: "operation: conv\nstride: two")))
        XCTAssertEqual([p.line, p.column], [5, 9])
        XCTAssertTrue(p.message.contains("whole number"), p.message)
        let q = try XCTUnwrap(only(replacing("operation: conv", with: "operation: convolution")))
        XCTAssertEqual([q.line, q.column], [4, 12])
        XCTAssertTrue(q.message.contains("`conv`"), q.message)
    }

    func testFilterChannelsMustMatchInput() throws {
        let p = try XCTUnwrap(only(replacing("x.shape: 1,1,3,3", with: "x.shape: 1,3,3,3")))
        XCTAssertEqual([p.line, p.column], [6, 10])
        XCTAssertTrue(p.message.contains("(1, 1, 2, 2)") && p.message.contains("(1, 3, 3, 3)"), p.message)
        XCTAssertTrue(p.message.contains("w.shape: 1,3,2,2"), p.message)
    }

    func testValueCountMustMatchShape() throws {
        let p = try XCTUnwrap(only(replacing("w.symbols: W X Y Z", with: "w.symbols: W X Y Z\nw.values: 1, 2, 3")))
        XCTAssertEqual([p.line, p.column], [8, 11])
        XCTAssertTrue(p.message.contains("4 values") && p.message.contains("3 are given"), p.message)
        let r = try XCTUnwrap(only(replacing("x.shape: 1,1,3,3", with: "x.shape: 1,1,3,3\nx.values: 1..16")))
        XCTAssertTrue(r.message.contains("1..9"), r.message)
    }

    func testMissingTranslations() throws {
        let p = try XCTUnwrap(only(replacing("title.ja: 小さな例\n", with: "")))
        XCTAssertEqual([p.line, p.column], [2, 1])
        XCTAssertTrue(p.message.contains("title.ja"), p.message)
        let q = try XCTUnwrap(only(replacing("ja: フィルタをずらします。", with: "")))
        XCTAssertEqual([q.line, q.column], [10, 1])
        XCTAssertTrue(q.message.contains("`ja:`"), q.message)
        let r = try XCTUnwrap(only(minimal + "\n? en: Which cells?\n> en: 1, 2, 4, 5\n> ja: 1, 2, 4, 5\n"))
        XCTAssertEqual(r.line, 12)
        XCTAssertTrue(r.message.contains("`? ja: …`"), r.message)
    }

    func testUnknownPhaseNamesTheNearest() throws {
        let p = try XCTUnwrap(only(replacing("## slide", with: "## im2kol")))
        XCTAssertEqual([p.line, p.column], [9, 4])
        XCTAssertTrue(p.message.contains("`## im2col`"), p.message)
        let q = try XCTUnwrap(only(replacing("operation: conv", with: "operation: conv\nshow: slide, filter_reshape")))
        XCTAssertEqual([q.line, q.column], [5, 14])
        XCTAssertTrue(q.message.contains("`filter-reshape`"), q.message)
        let r = try XCTUnwrap(only(replacing("## slide", with: "## filter reshape")))
        XCTAssertTrue(r.message.contains("`## filter-reshape`"), r.message)
    }

    func testSizeOverTheLimits() throws {
        let p = try XCTUnwrap(only(replacing("x.shape: 1,1,3,3", with: "x.shape: 1,1,65,4")))
        XCTAssertEqual([p.line, p.column], [5, 10])
        XCTAssertTrue(p.message.contains("H is 65, at most 64"), p.message)
        let q = try XCTUnwrap(only(replacing("w.shape: 1,1,2,2", with: "w.shape: 9,1,2,2")))
        XCTAssertTrue(q.message.contains("M (filters) is 9"), q.message)
        let big = replacing("x.shape: 1,1,3,3", with: "x.shape: 8,8,8,9")
            .replacingOccurrences(of: "w.shape: 1,1,2,2\nw.symbols: W X Y Z", with: "w.shape: 1,8,2,2")
        XCTAssertTrue(try XCTUnwrap(only(big)).message.contains("4096"))
    }

    func testPathsMayNotLeaveTheFolder() throws {
        for path in ["../x.npy", "/etc/x.npy", "data/../../x.npy", "~/x.npy"] {
            let p = try XCTUnwrap(only(replacing("x.shape: 1,1,3,3", with: "x.shape: 1,1,3,3\nx.values: \(path)")))
            XCTAssertEqual([p.line, p.column], [6, 11], path)
            XCTAssertTrue(p.message.contains("leaves the lesson's folder"), p.message)
        }
    }

    func testNPYValuesComeThroughTheReader() throws {
        let t = Tensor(shape: [3, 3], data: (1...9).map { Double($0) * 0.5 })
        let text = replacing("x.shape: 1,1,3,3", with: "x.values: data/x.npy")
        guard case .success(let l) = parse(text, npy: ["data/x.npy": t]) else { return XCTFail() }
        XCTAssertEqual(l.scenario.x.shape, [1, 1, 3, 3])
        XCTAssertEqual(l.scenario.x.data, t.data)
        guard case .failure(let p) = parse(text) else { return XCTFail() }
        XCTAssertEqual([p[0].line, p[0].column], [5, 11])
        XCTAssertTrue(p[0].message.contains("cannot read `data/x.npy`"))
    }

    func testDuplicateKey() throws {
        let p = try XCTUnwrap(only(replacing("w.symbols: W X Y Z", with: "w.symbols: W X Y Z\nx.shape: 1,1,4,4")))
        XCTAssertEqual([p.line, p.column], [8, 1])
        XCTAssertTrue(p.message.contains("already set on line 5"), p.message)
    }

    func testAllProblemsAreCollected() {
        let text = replacing("operation: conv", with: "operation: conv\nstirde: 2\npad: lots")
            .replacingOccurrences(of: "## slide", with: "## slid\nen: x\n## gemm\nen: only English")
        let p = problems(text)
        XCTAssertEqual(p.map(\.line), [5, 6, 11, 15], "line 15 is a second `en:` in `## gemm`")
    }

    func testStructureProblems() {
        XCTAssertEqual(problems("title.en: x").first?.line, 1)
        XCTAssertTrue(problems("---\ntitle.en: x\n").first!.message.contains("never closed"))
        let stray = problems(minimal + "\n\nSome prose the player would drop.\n")
        XCTAssertEqual(stray.map { [$0.line, $0.column] }, [[13, 1]])
        let orphan = problems(minimal + "\n> en: an answer\n")
        XCTAssertTrue(orphan[0].message.contains("needs its question"))
        let badStep = problems(minimal + "\n### step zero\n")
        XCTAssertEqual(badStep.map(\.line), [12])
    }

    func testPoolingRules() throws {
        let pool = """
        ---
        title.en: Pool
        title.ja: プーリング
        operation: pool
        passes: update
        x.shape: 1,1,4,4
        pool: 2
        activation: relu
        ---
        """
        let p = problems(pool)
        XCTAssertEqual(p.map { [$0.line, $0.column] }, [[5, 9], [8, 1]])
        let ok = try XCTUnwrap(lesson(pool.replacingOccurrences(of: "passes: update\n", with: "")
            .replacingOccurrences(of: "activation: relu\n", with: "").replacingOccurrences(of: "pool: 2", with: "pool: 3,2")))
        XCTAssertEqual(ok.scenario.stride, Pair(3, 2), "pooling's stride defaults to the pool size")
    }

    func testSamePadMustBeWhole() throws {
        let p = try XCTUnwrap(only(replacing("operation: conv", with: "operation: conv\npad: same\nstride: 2")))
        XCTAssertEqual(p.line, 5)
        XCTAssertTrue(p.message.contains("3/2"), p.message)
        let ok = try XCTUnwrap(lesson(replacing("w.shape: 1,1,2,2\nw.symbols: W X Y Z", with: "w.shape: 1,1,3,3\npad: same")))
        XCTAssertEqual(ok.scenario.pad, .same)
    }

    func testStepsQuestionsAndOccurrences() throws {
        let text = minimal + """

        ### step 3
        ? en: Which cells?
        ? ja: どのマス?
        > en: 4, 5,
        > 7 and 8
        > ja: 4, 5, 7, 8
        en: Third.
        ja: 三つ目。

        ## transpose 2
        en: The second transpose
        continues here.
        ja: 二回目の
        転置です。
        """
        let l = try XCTUnwrap(lesson(text))
        XCTAssertEqual(l.questions.count, 1)
        XCTAssertEqual(l.questions[0].step, 3)
        XCTAssertEqual(l.questions[0].answer.en, "4, 5, 7 and 8")
        XCTAssertEqual(l.note(for: PhaseRef(kind: .slide), step: 3)?.text.ja, "三つ目。")
        let t = try XCTUnwrap(l.note(for: PhaseRef(kind: .transpose, occurrence: 2)))
        XCTAssertEqual(t.text.en, "The second transpose continues here.")
        XCTAssertEqual(t.text.ja, "二回目の転置です。")
    }
}

/// `show:` with occurrences and `view:`: what they select, and the sentences for mistakes.
final class ShowOccurrenceAndViewTests: XCTestCase {
    func testAKindFollowedByANumberShowsOnlyThatOccurrence() throws {
        let text = minimal.replacingOccurrences(of: "w.symbols: W X Y Z", with: "w.symbols: W X Y Z\nshow: transpose 1, reshape, slide")
        let l = try XCTUnwrap(lesson(text))
        XCTAssertTrue(l.shows(.transpose, occurrence: 1))
        XCTAssertFalse(l.shows(.transpose, occurrence: 2))
        XCTAssertTrue(l.shows(.reshape, occurrence: 2), "a kind without a number covers all its occurrences")
        XCTAssertFalse(l.shows(.gemm, occurrence: 1))
    }

    func testANumberWithoutAPhaseAndAKindWithAndWithoutANumberAreRefused() {
        let lone = problems(minimal.replacingOccurrences(of: "w.symbols: W X Y Z", with: "w.symbols: W X Y Z\nshow: 2, slide"))
        XCTAssertTrue(lone.contains { $0.message.contains("follows no phase") }, "\(lone)")
        let both = problems(minimal.replacingOccurrences(of: "w.symbols: W X Y Z", with: "w.symbols: W X Y Z\nshow: slide, transpose 1, transpose"))
        XCTAssertTrue(both.contains { $0.message.contains("listed twice") }, "\(both)")
    }

    func testANarratedOccurrenceThatIsNotShownIsAProblem() {
        let text = minimal.replacingOccurrences(of: "w.symbols: W X Y Z", with: "w.symbols: W X Y Z\nshow: slide, transpose 1")
            + "\n## transpose 2\nen: Back.\nja: 戻ります。\n"
        let p = problems(text)
        XCTAssertTrue(p.contains { $0.message.contains("`## transpose 2` narrates a phase that `show:` leaves out") }, "\(p)")
    }

    func testViewChoosesTheStartingView() throws {
        let symbols = try XCTUnwrap(lesson(minimal.replacingOccurrences(of: "w.symbols: W X Y Z", with: "w.symbols: W X Y Z\nview: symbols")))
        XCTAssertEqual(symbols.startsInSymbols, true)
        XCTAssertNil(try XCTUnwrap(lesson(minimal)).startsInSymbols)
        let wrong = problems(minimal.replacingOccurrences(of: "w.symbols: W X Y Z", with: "w.symbols: W X Y Z\nview: pictures"))
        XCTAssertTrue(wrong.contains { $0.message.contains("`view:` is `symbols` or `numbers`") }, "\(wrong)")
    }
}
