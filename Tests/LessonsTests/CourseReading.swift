import XCTest
import Engine
import Trace
@testable import Lessons

/// How the course-wording tests read the shipped lessons, and the lessons' geometry computed
/// independently of the engine.
// MARK: - Reading the course

enum TextLanguage { case en, ja }

func course() throws -> [(String, Lesson)] {
    try BuiltInLessons.all.map { ($0.name, try readLesson(named: $0.name, text: $0.text)) }
}

func builtIn(_ number: String) throws -> String {
    try XCTUnwrap(BuiltInLessons.all.first { $0.name.hasPrefix(number + "-") }, "no lesson \(number)").text
}

func courseLesson(_ number: String) throws -> Lesson {
    let built = try XCTUnwrap(BuiltInLessons.all.first { $0.name.hasPrefix(number + "-") }, "no lesson \(number)")
    return try readLesson(named: built.name, text: built.text)
}

struct Unreadable: Error, CustomStringConvertible {
    var description: String
}

func readLesson(named name: String, text: String) throws -> Lesson {
    switch parse(text) {
    case .success(let l): return l
    case .failure(let p): throw Unreadable(description: "\(name):\n\(p)")
    }
}

func note(_ l: Lesson, _ kind: PhaseKind, occurrence: Int = 1, step: Int? = nil) throws -> Localized {
    let ref = PhaseRef(kind: kind, occurrence: occurrence)
    return try XCTUnwrap(l.note(for: ref, step: step), "no narration for \(ref) step \(step.map(String.init) ?? "-")").text
}

func question(_ l: Lesson, _ kind: PhaseKind, occurrence: Int = 1, step: Int? = nil) throws -> Question {
    let ref = PhaseRef(kind: kind, occurrence: occurrence)
    return try XCTUnwrap(l.questions(for: ref, step: step).first, "no question at \(ref) step \(step.map(String.init) ?? "-")")
}

/// Every text of a lesson in one language: title, summary, narration, questions and answers.
func texts(_ l: Lesson, _ language: TextLanguage) -> [String] {
    let pick: (Localized) -> String = { language == .en ? $0.en : $0.ja }
    return [pick(l.title), pick(l.summary)] + l.notes.map { pick($0.text) }
        + l.questions.flatMap { [pick($0.prompt), pick($0.answer)] }
}

func japaneseSentences(_ text: String) -> [String] {
    var sentences: [String] = [], current = ""
    for ch in text {
        current.append(ch)
        if "。？！".contains(ch) {
            sentences.append(current.trimmingCharacters(in: .whitespaces))
            current = ""
        }
    }
    let rest = current.trimmingCharacters(in: .whitespaces)
    return rest.isEmpty ? sentences : sentences + [rest]
}

// MARK: - The lesson's geometry, computed here

func padding(_ l: Lesson, stride: Int) throws -> (Int, Int) {
    let x = l.scenario.x.shape, f = try XCTUnwrap(l.scenario.w).shape
    switch l.scenario.pad {
    case .pair(let p): return (p.v, p.h)
    case .same:
        let v = (x[2] - 1) * stride - x[2] + f[2], h = (x[3] - 1) * stride - x[3] + f[3]
        XCTAssertTrue(v % 2 == 0 && h % 2 == 0)
        return (v / 2, h / 2)
    }
}

/// (OH, OW) of a convolution lesson.
func outputSize(_ l: Lesson) throws -> (h: Int, w: Int) {
    let x = l.scenario.x.shape, f = try XCTUnwrap(l.scenario.w).shape, s = l.scenario.stride
    let (pv, ph) = try padding(l, stride: s.v)
    return ((x[2] + 2 * pv - f[2]) / s.v + 1, (x[3] + 2 * ph - f[3]) / s.h + 1)
}

func outputPlacements(_ l: Lesson) throws -> Int {
    let (h, w) = try outputSize(l)
    return l.scenario.x.shape[0] * h * w
}

/// For each placement (oh, ow), how many filter cells fall outside the image, on the padding.
func outsideCounts(_ l: Lesson) throws -> [[Int]] {
    let x = l.scenario.x.shape, f = try XCTUnwrap(l.scenario.w).shape, s = l.scenario.stride
    let (pv, ph) = try padding(l, stride: s.v)
    let (oh, ow) = try outputSize(l)
    return (0..<oh).map { r in
        (0..<ow).map { c in
            var outside = 0
            for i in 0..<f[2] {
                for j in 0..<f[3] {
                    let y = r * s.v + i - pv, z = c * s.h + j - ph
                    if !(0..<x[2]).contains(y) || !(0..<x[3]).contains(z) { outside += 1 }
                }
            }
            return outside
        }
    }
}

/// One output of the plain convolution, computed directly from the lesson's tensors.
func convOutput(_ l: Lesson, b: Int, m: Int, oh: Int, ow: Int) throws -> Double {
    let x = l.scenario.x, w = try XCTUnwrap(l.scenario.w)
    let (c, h, wd) = (x.shape[1], x.shape[2], x.shape[3]), (fh, fw) = (w.shape[2], w.shape[3])
    var sum = l.scenario.b?.data[m] ?? 0
    for k in 0..<c {
        for i in 0..<fh {
            for j in 0..<fw {
                sum += x.data[((b * c + k) * h + oh + i) * wd + ow + j] * w.data[((m * c + k) * fh + i) * fw + j]
            }
        }
    }
    return sum
}

struct PoolWindow {
    var values: [Double]
    var max: Double
    /// The first index of the maximum, as np.argmax gives it.
    var argmax: Int
    /// Where that maximum is in the image.
    var argmaxCell: (row: Int, column: Int)
}

/// The pooling windows of a one-image, one-channel lesson, in the order of the tall matrix.
func poolWindows(_ l: Lesson) throws -> [PoolWindow] {
    let x = l.scenario.x, p = l.scenario.pool
    XCTAssertEqual(Array(x.shape[0...1]), [1, 1])
    let (h, w) = (x.shape[2], x.shape[3])
    var windows: [PoolWindow] = []
    for r in 0..<(h / p.v) {
        for c in 0..<(w / p.h) {
            var values: [Double] = []
            for i in 0..<p.v { for j in 0..<p.h { values.append(x.data[(r * p.v + i) * w + c * p.h + j]) } }
            let max = try XCTUnwrap(values.max())
            let k = try XCTUnwrap(values.firstIndex(of: max))
            windows.append(PoolWindow(values: values, max: max, argmax: k,
                                  argmaxCell: (r * p.v + k / p.h, c * p.h + k % p.h)))
        }
    }
    return windows
}
