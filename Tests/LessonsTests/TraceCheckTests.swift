import XCTest
import Foundation
import Engine
import Trace
@testable import Lessons

/// What only the recorded trace can tell: the engine runs the lesson, and every phase and step
/// the lesson names exists.
final class TraceCheckTests: XCTestCase {
    func testEveryShippedLessonRunsAndNamesOnlyRealPhasesAndSteps() throws {
        for (name, text) in try shippedLessons() {
            guard case .success(let l) = parse(text) else { XCTFail(name); continue }
            switch LessonReader.check(l) {
            case .success(let trace):
                let shown = l.shownStepCount(in: trace)
                XCTAssertGreaterThan(shown, 0, name)
                // A reshape or transpose shows its whole movement, then follows each element;
                // `]` skips those, so they count apart.
                let elementSteps = (0..<trace.stepCount).filter { s in
                    let phase = trace.stepPhase[s], first = trace.phaseFirstStep[phase]
                    return s > first && l.shows(trace.phases[phase].kind, occurrence: trace.phases[phase].occurrence)
                        && trace.events(ofStep: first).contains { $0.kind == .derive }
                }.count
                XCTAssertLessThanOrEqual(shown - elementSteps, 100, "\(name): keep a lesson short enough to step through")
                XCTAssertLessThanOrEqual(shown, 200, "\(name): keep a lesson short enough to step through")
                for kind in l.show ?? [] {
                    XCTAssertTrue(trace.phases.contains { $0.kind == kind }, "\(name): \(kind)")
                }
            case .failure(let problems):
                XCTFail("\(name):\n\(problems)")
            }
        }
    }

    private func traceProblems(_ text: String) throws -> [LessonProblem] {
        let l = try XCTUnwrap(lesson(text))
        guard case .failure(let p) = LessonReader.check(l) else {
            XCTFail("expected problems")
            return []
        }
        return Array(p)
    }

    func testMissingOccurrenceAndStepAreReportedAtTheirLines() throws {
        let text = minimal + """


        ### step 99
        en: Far too late.
        ja: 遅すぎます。

        ## transpose 2
        en: There is only one transpose in the plain forward pass.
        ja: 順伝播には transpose は 1 つしかありません。
        """
        let p = try traceProblems(text)
        XCTAssertEqual(p.map(\.line), [14, 18])
        XCTAssertTrue(p[0].message.contains("has 4 steps"), p[0].message)
        XCTAssertTrue(p[1].message.contains("`## transpose 1`"), p[1].message)
    }

    func testShowListingAPhaseTheLessonNeverRuns() throws {
        let text = minimal.replacingOccurrences(of: "operation: conv", with: "operation: conv\nshow: slide, col2im")
        let p = try traceProblems(text)
        XCTAssertEqual(p.map { [$0.line, $0.column] }, [[5, 1]])
        XCTAssertTrue(p[0].message.contains("col2im"), p[0].message)
    }

    /// A question on the whole reshape phase reads `u` after the phase: the reshaped u
    /// (M, B, OH, OW), not the transposed u the next phase declares before its first step.
    func testAPhaseQuestionNamesTheTensorOfItsOwnPhase() throws {
        // Two images of 3×3 holding 1…18, two 2×2 filters: the diagonal pair, then all ones.
        let header = minimal
            .replacingOccurrences(of: "x.shape: 1,1,3,3", with: "x.shape: 2,1,3,3\nx.values: 1..18")
            .replacingOccurrences(of: "w.shape: 1,1,2,2\nw.symbols: W X Y Z", with: "w.shape: 2,1,2,2\nw.values: 1, 0, 0, 1, 1, 1, 1, 1")
        let head = header.components(separatedBy: "## slide")[0]
        // u[1, 0, 1, 1]: filter 1 on image 0's bottom-right window 5 6 / 8 9; u[1, 0, 1, 1] of the
        // transposed u would be filter 0 on image 1's window 14 15 / 17 18.
        let reshaped = 5.0 + 6 + 8 + 9, transposed = 14.0 + 18
        func question(_ phase: String, _ answer: String) -> String {
            head + "## \(phase)\nen: Now.\nja: 今です。\n\n? en: Which?\n? ja: どれでしょう？\nanswer: \(answer)\n> en: That.\n> ja: それです。\n"
        }
        let right = try XCTUnwrap(lesson(question("reshape", "u[1,0,1,1] = \(Int(reshaped))")))
        guard case .success = LessonReader.check(right) else { return XCTFail("\(LessonReader.check(right))") }
        let p = try traceProblems(question("reshape", "u[1,0,1,1] = \(Int(transposed))"))
        XCTAssertEqual(p.count, 1)
        XCTAssertTrue(p.first?.message.contains("computes u[1,0,1,1] = \(Int(reshaped)) by the end of this phase") == true, "\(p)")
        // In the transpose phase the same name is the transposed u.
        let later = try XCTUnwrap(lesson(question("transpose", "u[1,0,1,1] = \(Int(transposed))")))
        guard case .success = LessonReader.check(later) else { return XCTFail("\(LessonReader.check(later))") }
    }

    func testShownStepsFollowTheShowList() throws {
        let all = try XCTUnwrap(lesson(minimal))
        var some = all
        some.show = [.slide]
        let trace = try Trace.record(all.scenario)
        XCTAssertEqual(some.shownStepCount(in: trace), 4, "a 3×3 input and a 2×2 filter slide to 4 places")
        // Every step, except that the zero bias and the identity change nothing: one step each.
        let idle = trace.phases.indices.filter { [.bias, .activation].contains(trace.phases[$0].kind) }.map { p in
            (p + 1 < trace.phases.count ? trace.phaseFirstStep[p + 1] : trace.stepCount) - trace.phaseFirstStep[p] - 1
        }.reduce(0, +)
        XCTAssertGreaterThan(idle, 0)
        XCTAssertEqual(all.shownStepCount(in: trace), trace.stepCount - idle)
    }
}

/// Reading lesson files from disk: `.npy` files next to the lesson, and nothing outside it.
final class LoadTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tatami-lessons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// A float64 `.npy` version 1.0 file, written by hand so the test does not depend on the writer.
    private func npy(_ values: [Double], shape: [Int]) -> Data {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", "))\(shape.count == 1 ? "," : "")), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    private func write(_ text: String, _ name: String = "l.md") throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testReadsAnNPYFileNextToTheLesson() throws {
        try npy((1...9).map { Double($0) / 2 }, shape: [3, 3]).write(to: folder.appendingPathComponent("data/x.npy"))
        let path = try write(minimal.replacingOccurrences(of: "x.shape: 1,1,3,3", with: "x.values: data/x.npy"))
        guard case .success(let l) = LessonReader.load(path: path) else { return XCTFail("\(LessonReader.load(path: path))") }
        XCTAssertEqual(l.scenario.x.shape, [1, 1, 3, 3])
        XCTAssertEqual(l.scenario.x.data.last, 4.5)
        XCTAssertEqual(l.path, path)
    }

    func testASymbolicLinkOutOfTheFolderIsRefused() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("tatami-outside-\(UUID().uuidString).npy")
        try npy(Array(repeating: 1, count: 9), shape: [3, 3]).write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("x.npy"), withDestinationURL: outside)
        let path = try write(minimal.replacingOccurrences(of: "x.shape: 1,1,3,3", with: "x.values: x.npy"))
        guard case .failure(let p) = LessonReader.load(path: path) else { return XCTFail("a link out of the folder was followed") }
        XCTAssertEqual([p[0].line, p[0].column], [5, 11])
        XCTAssertTrue(p[0].message.contains("leads out of the lesson's folder"), p[0].message)
    }

    func testUnreadableFilesGetASentence() throws {
        guard case .failure(let missing) = LessonReader.load(path: folder.appendingPathComponent("none.md").path) else { return XCTFail() }
        XCTAssertTrue(missing[0].message.contains("cannot open"))
        let path = folder.appendingPathComponent("bytes.md").path
        try Data([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x00]).write(to: URL(fileURLWithPath: path))
        guard case .failure(let bytes) = LessonReader.load(path: path) else { return XCTFail() }
        XCTAssertTrue(bytes[0].message.contains("UTF-8"))
    }
}
