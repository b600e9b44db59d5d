import XCTest
import Engine
import Trace
@testable import Lessons

final class ShippedLessonsTests: XCTestCase {
    func testFirstLessonIsTheSeedsWorkedExample() throws {
        let text = try XCTUnwrap(shippedLessons().first { $0.name.hasPrefix("01-") }).text
        let l = try XCTUnwrap(lesson(text))
        XCTAssertEqual(l.scenario.operation, .conv)
        XCTAssertEqual(l.scenario.passes, .forward)
        XCTAssertEqual(l.scenario.x.shape, [1, 1, 4, 4])
        XCTAssertEqual(l.scenario.x.data, (1...16).map(Double.init))
        XCTAssertEqual(l.scenario.w?.shape, [1, 1, 2, 2])
        XCTAssertEqual(l.scenario.wLabels, ["W", "X", "Y", "Z"])
        XCTAssertEqual(l.scenario.stride, Pair(1))
        XCTAssertEqual(l.scenario.pad, .pair(Pair(0)))
        XCTAssertEqual(l.scenario.form, .plain)
        let c = try XCTUnwrap(l.questions.first { $0.phase == PhaseRef(kind: .slide) && $0.step == 3 })
        XCTAssertTrue(c.answer.en.contains("3, 4, 7 and 8"))
        XCTAssertTrue(c.answer.ja.contains("3, 4, 7, 8"))
    }

    func testEveryShippedLessonParsesWithBothLanguages() throws {
        let lessons = try shippedLessons()
        XCTAssertGreaterThanOrEqual(lessons.count, 1)
        for (name, text) in lessons {
            guard case .success(let l) = parse(text) else {
                XCTFail("\(name): \(String(describing: parse(text)))")
                continue
            }
            XCTAssertFalse(l.title.en.isEmpty || l.title.ja.isEmpty, name)
            XCTAssertFalse(l.summary.en.isEmpty || l.summary.ja.isEmpty, name)
            XCTAssertFalse(l.notes.isEmpty, name)
            for note in l.notes {
                XCTAssertFalse(note.text.en.isEmpty || note.text.ja.isEmpty, "\(name) line \(note.line)")
                XCTAssertTrue(note.text.ja.unicodeScalars.contains { $0.value >= 0x3040 }, "\(name) line \(note.line): ja is not Japanese")
            }
            for q in l.questions {
                XCTAssertFalse(q.prompt.en.isEmpty || q.prompt.ja.isEmpty || q.answer.en.isEmpty || q.answer.ja.isEmpty, name)
            }
        }
    }
}

final class BuiltInLessonsTests: XCTestCase {
    func testBuiltInCopiesMatchTheLessonFiles() throws {
        let files = try shippedLessons()
        XCTAssertEqual(BuiltInLessons.all.map(\.name), files.map(\.name),
                       "Sources/Lessons/BuiltInLessons.swift is out of date: run scripts/embed-lessons.sh")
        for (built, file) in zip(BuiltInLessons.all, files) {
            XCTAssertEqual(built.text, file.text,
                           "\(file.name) changed since scripts/embed-lessons.sh last ran: run it again")
        }
    }
}
