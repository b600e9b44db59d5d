import XCTest
import Foundation
import Engine
import Trace
import Lessons

/// The JSON lines of format 2, read back by a reader written from docs/trace.md alone
/// (FormatTwoReader.swift), and the meaning of every axis name checked against direct loops
/// (FormatTwoMeaning.swift): for every shipped lesson in every form and layout, and for
/// seeded random layers whose sizes coincide, so that a wrong name cannot hide behind a
/// wrong length.
final class FormatTwoReaderTests: XCTestCase {
    // MARK: Writing and reading

    func jsonLines(_ trace: Trace, lesson: String) -> String {
        var text = trace.jsonHeader(tatamiVersion: "test", lesson: lesson) + "\n"
        for e in trace.events { text += Trace.jsonLine(e) + "\n" }
        return text
    }

    struct Tally {
        var traces = 0, tensors = 0, cells = 0, events = 0, signsOfZero = 0
    }

    /// Records `scenario`, writes it as JSON lines, reads it back and checks everything the
    /// page promises: the values, the axes, and what every cell means.
    @discardableResult
    func roundTrip(_ scenario: Scenario, _ name: String, tally: inout Tally,
                   file: StaticString = #filePath, line: UInt = #line) throws -> FormatTwo.File {
        let trace = try Trace.record(scenario)
        let parsed = try FormatTwo.read(jsonLines(trace, lesson: name))
        XCTAssertEqual(parsed.lesson, name, file: file, line: line)
        XCTAssertEqual(parsed.eventCount, parsed.events.count, "\(name): header events", file: file, line: line)
        XCTAssertEqual(parsed.steps, parsed.events.filter { $0.k == "step" }.count, "\(name): header steps", file: file, line: line)
        XCTAssertEqual(parsed.steps, trace.stepCount, "\(name)", file: file, line: line)

        // (a) The rebuilt values are the trace's own after its last step, bit for bit.
        let values = try FormatTwo.rebuild(parsed)
        let state = trace.state(after: trace.stepCount - 1)
        XCTAssertEqual(values.count, state.values.count, "\(name): tensor count", file: file, line: line)
        // A zero whose sign differs is told apart from any other difference.
        var differences: [String] = [], signsOfZero: [String] = [], zeroTensors: [String] = []
        for (id, (mine, theirs)) in zip(values, state.values).enumerated() {
            let t = parsed.tensors[id]
            guard mine.count == theirs.count else {
                differences.append("tensor \(id) \(t.name) has \(mine.count) cells rebuilt, \(theirs.count) in the trace")
                continue
            }
            for (i, (a, b)) in zip(mine, theirs).enumerated()
                where !(a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)) {
                let described = "tensor \(id) \(t.name) \(t.axes) cell \(i): rebuilt \(a), the trace holds \(b)"
                if a == 0 && b == 0 {
                    signsOfZero.append(described)
                    if zeroTensors.last != "\(t.name) \(t.axes)" { zeroTensors.append("\(t.name) \(t.axes)") }
                } else {
                    differences.append(described)
                }
            }
        }
        if !differences.isEmpty {
            XCTFail("\(name): \(differences.count) cells differ from the trace's own, bit for bit; first \(differences[0])", file: file, line: line)
        }
        if !signsOfZero.isEmpty {
            XCTFail("\(name): \(signsOfZero.count) cells differ from the trace's own in the sign of zero (in \(zeroTensors.joined(separator: ", "))); first \(signsOfZero[0])", file: file, line: line)
        }
        tally.signsOfZero += signsOfZero.count

        // (b), (c) The axes: vocabulary, lengths, reshape and transpose.
        for problem in FormatTwo.checkAxes(parsed) {
            XCTFail("\(name): \(problem)", file: file, line: line)
        }

        // The meaning of every cell.
        let reference = FormatTwo.reference(parsed)
        let report = try FormatTwo.checkMeaning(parsed, values: values, reference: reference)
        for problem in report.problems.prefix(12) {
            XCTFail("\(name): \(problem)", file: file, line: line)
        }
        if report.problems.count > 12 { XCTFail("\(name): \(report.problems.count) problems in all", file: file, line: line) }

        tally.traces += 1
        tally.tensors += parsed.tensors.count
        tally.cells += report.cells
        tally.events += parsed.events.count
        return parsed
    }

    // MARK: The reader

    func testTheReaderRefusesAVersionItDoesNotKnow() throws {
        let trace = try Trace.record(Self.shipped()[0].scenario)
        let text = jsonLines(trace, lesson: "01")
        let lines = text.split(separator: "\n")
        XCTAssertNoThrow(try FormatTwo.read(text))
        var header = try FormatTwo.object(lines[0], what: "the header")
        XCTAssertEqual(header["format_version"] as? Int, 2)
        for version: Any in [1, 3, "2"] {
            header["format_version"] = version
            let rewritten = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
            XCTAssertThrowsError(try FormatTwo.read(([rewritten] + lines.dropFirst().map(String.init)).joined(separator: "\n")),
                                 "format_version \(version)")
        }
    }

    func testNonFiniteValuesAreTheStringsThePageNames() throws {
        var s = Self.shipped().first { $0.name.hasPrefix("07-") }!.scenario
        s.x.data[0] = .nan
        s.x.data[1] = .infinity
        s.x.data[2] = -.infinity
        let trace = try Trace.record(s)
        let text = jsonLines(trace, lesson: "07")
        let parsed = try FormatTwo.read(text)
        let x = try XCTUnwrap(parsed.tensors.first { $0.name == "x" }?.initial)
        XCTAssertTrue(x[0].isNaN)
        XCTAssertEqual(Array(x[1...2]), [.infinity, -.infinity])
        let header = try FormatTwo.object(text.split(separator: "\n")[0], what: "the header")
        let raw = try XCTUnwrap((header["tensors"] as? [[String: Any]])?.first { $0["name"] as? String == "x" }?["initial"] as? [Any])
        XCTAssertEqual(raw.prefix(3).map { $0 as? String }, ["nan", "inf", "-inf"])
        // The values still rebuild bit for bit, NaN for NaN, and mean what the axes say.
        var tally = Tally()
        try roundTrip(s, "07 with nan and inf", tally: &tally)
        XCTAssertEqual(tally.traces, 1)
    }

    // MARK: The shipped lessons

    static func shipped() -> [(name: String, scenario: Scenario)] {
        BuiltInLessons.all.compactMap { lesson in
            switch LessonReader.parse(lesson.text, path: lesson.name, readNPY: { _ in throw FormatTwo.ReadError("no files") }) {
            case .success(let l): return (lesson.name, l.scenario)
            case .failure(let p): XCTFail("\(lesson.name): \(p)"); return nil
            }
        }
    }

    func testEveryShippedLessonInEveryFormAndLayoutReadsBackAndMeansWhatItsAxesSay() throws {
        let start = Date()
        var tally = Tally()
        let lessons = Self.shipped()
        XCTAssertEqual(lessons.count, BuiltInLessons.all.count)
        for (name, scenario) in lessons {
            if scenario.operation == .conv {
                for form in ConvForm.allCases {
                    for layout in ColumnLayout.allCases {
                        var s = scenario
                        s.form = form
                        s.layout = layout
                        try roundTrip(s, "\(name) \(form) \(layout)", tally: &tally)
                    }
                }
            } else {
                try roundTrip(scenario, name, tally: &tally)
            }
        }
        print("format 2 reader: \(lessons.count) lessons, \(tally.traces) traces, \(tally.tensors) tensors, \(tally.events) events, \(tally.cells) cells checked, \(tally.signsOfZero) zeros of the wrong sign, in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }

    // MARK: Random layers whose sizes coincide

    /// A shuffled ramp 0..<n, from the engine's generator.
    static func shuffled(_ n: Int, _ g: inout SplitMix64) -> [Int] {
        var a = Array(0..<n)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) { a.swapAt(i, g.integer(0, i)) }
        }
        return a
    }

    static func output(_ n: Int, _ f: Int, _ s: Int, _ p: Int, _ d: Int) -> Int? {
        let span = d * (f - 1) + 1
        return n + 2 * p >= span ? (n + 2 * p - span) / s + 1 : nil
    }

    /// How many pairs of sizes (of at least 2) coincide.
    static func coincidences(_ sizes: [Int]) -> Int {
        var n = 0
        for i in sizes.indices { for j in sizes.indices where j > i && sizes[i] == sizes[j] && sizes[i] > 1 { n += 1 } }
        return n
    }

    static func log2Ceiling(_ n: Int) -> Int {
        var k = 0
        while 1 << k < n { k += 1 }
        return k
    }

    /// A convolution whose sizes coincide as much as 40 draws allow, with every cell of x, w, b
    /// and grad distinct; x and w dyadic so that the products are exact and u is never 0.
    static func randomConv(_ i: Int, _ g: inout SplitMix64) -> Scenario {
        var best: (score: Int, sizes: [Int])?
        for _ in 0..<40 {
            let B = g.integer(1, 3), C = g.integer(1, 3), M = g.integer(1, 3)
            let H = g.integer(1, 6), W = g.integer(0, 1) == 0 ? H : g.integer(1, 6)
            let FH = g.integer(1, 3), FW = g.integer(0, 1) == 0 ? FH : g.integer(1, 3)
            let SH = g.integer(1, 3), SW = g.integer(0, 1) == 0 ? SH : g.integer(1, 3)
            let PH = g.integer(0, 2), PW = g.integer(0, 1) == 0 ? PH : g.integer(0, 2)
            let DH = g.integer(1, 2), DW = g.integer(0, 1) == 0 ? DH : g.integer(1, 2)
            guard let OH = output(H, FH, SH, PH, DH), let OW = output(W, FW, SW, PW, DW),
                  B * M * OH * OW * C * FH * FW <= 1200 else { continue }
            let score = coincidences([B, C, M, OH, OW, FH, FW, H, W])
            if best == nil || score > best!.score {
                best = (score, [B, C, M, H, W, FH, FW, SH, SW, PH, PW, DH, DW, OH, OW])
            }
        }
        let z = best!.sizes
        let (B, C, M, H, W, FH, FW) = (z[0], z[1], z[2], z[3], z[4], z[5], z[6])
        let (OH, OW) = (z[13], z[14])
        let nx = B * C * H * W, nw = M * C * FH * FW
        let kx = max(2, log2Ceiling(nx)), kw = max(2, log2Ceiling(nw))
        let x = shuffled(nx, &g).map { Double($0 - nx / 2) / Double(1 << kx) }
        let w = shuffled(nw, &g).map { Double($0 - nw / 2) / Double(1 << kw) }
        // Multiples of 1/8 plus an odd multiple of 2^-(kx+kw+1): never cancels the product.
        let b = shuffled(M, &g).map { (Double($0) - Double(M) / 2) / 4 + 1 / Double(1 << (kx + kw + 1)) }
        let ng = B * M * OH * OW
        let grad = shuffled(ng, &g).map { Double($0 - ng / 2) / 2 }
        // Every form and layout with every activation, backward and with the update.
        let passes: Scenario.Passes = (i / 4) % 4 == 3 ? .update : .backward
        let optimizer: Optimizer = (i / 16) % 2 == 0 ? .sgd(lr: 0.1) : .adam(lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8)
        return Scenario(operation: .conv, passes: passes, x: Tensor(shape: [B, C, H, W], data: x),
                        w: Tensor(shape: [M, C, FH, FW], data: w), b: Tensor(shape: [M], data: b),
                        grad: Tensor(shape: [B, M, OH, OW], data: grad),
                        stride: Pair(z[7], z[8]), pad: .pair(Pair(z[9], z[10])), dilation: Pair(z[11], z[12]),
                        form: ConvForm.allCases[i % 2], layout: ColumnLayout.allCases[(i / 2) % 2],
                        activation: Activation.allCases[(i / 4 + i / 16) % 4],
                        optimizer: optimizer)
    }

    /// A pooling whose sizes coincide, with distinct non-zero whole numbers in x (no ties).
    static func randomPool(_ i: Int, _ g: inout SplitMix64) -> Scenario {
        var best: (score: Int, sizes: [Int])?
        for _ in 0..<40 {
            let B = g.integer(1, 3), C = g.integer(1, 3)
            let H = g.integer(1, 6), W = g.integer(0, 1) == 0 ? H : g.integer(1, 6)
            let PH = g.integer(1, 3), PW = g.integer(0, 1) == 0 ? PH : g.integer(1, 3)
            let SH = g.integer(1, 3), SW = g.integer(0, 1) == 0 ? SH : g.integer(1, 3)
            let QH = g.integer(0, 2), QW = g.integer(0, 1) == 0 ? QH : g.integer(0, 2)
            guard let OH = output(H, PH, SH, QH, 1), let OW = output(W, PW, SW, QW, 1),
                  B * C * OH * OW * PH * PW <= 600 else { continue }
            let score = coincidences([B, C, OH, OW, PH, PW, H, W])
            if best == nil || score > best!.score {
                best = (score, [B, C, H, W, PH, PW, SH, SW, QH, QW, OH, OW])
            }
        }
        let z = best!.sizes
        let (B, C, H, W) = (z[0], z[1], z[2], z[3])
        let nx = B * C * H * W
        let x = shuffled(nx, &g).map { v -> Double in
            let centred = v - nx / 2
            return Double(centred >= 0 ? centred + 1 : centred)
        }
        let ng = B * C * z[10] * z[11]
        let grad = shuffled(ng, &g).map { Double($0 + 1) }
        return Scenario(operation: .pool, passes: .backward, x: Tensor(shape: [B, C, H, W], data: x),
                        grad: Tensor(shape: [B, C, z[10], z[11]], data: grad),
                        stride: Pair(z[6], z[7]), pad: .pair(Pair(z[8], z[9])),
                        pool: Pair(z[4], z[5]), poolMode: i % 2 == 0 ? .max : .average,
                        routing: (i / 2) % 2 == 0 ? .correct : .seedBug)
    }

    func testRandomLayersWithCoincidingSizesMeanWhatTheirAxesSay() throws {
        let start = Date()
        var tally = Tally()
        var g = SplitMix64(seed: 0x7A7A_3120)
        var variety = Set<String>()
        var strides = Set<Int>(), pads = Set<Int>(), dilations = Set<Int>()
        var coinciding = 0
        func note(_ file: FormatTwo.File) {
            strides.formUnion(file.layer.stride)
            pads.formUnion(file.layer.pad)
            dilations.formUnion(file.layer.dilation)
            if Self.coincidences(Array(file.layer.sizes.values)) > 0 { coinciding += 1 }
        }
        for i in 0..<160 {
            let s = Self.randomConv(i, &g)
            variety.insert("conv \(s.form) \(s.layout) \(s.passes) \(s.activation)")
            if s.passes == .update { variety.insert("\(s.optimizer)".hasPrefix("adam") ? "adam" : "sgd") }
            note(try roundTrip(s, "random conv \(i) x\(s.x.shape) w\(s.w!.shape) stride \(s.stride) pad \(s.pad) dilation \(s.dilation) \(s.form) \(s.layout) \(s.activation) \(s.passes)", tally: &tally))
        }
        for i in 0..<80 {
            let s = Self.randomPool(i, &g)
            variety.insert("pool \(s.poolMode) \(s.routing)")
            note(try roundTrip(s, "random pool \(i) x\(s.x.shape) pool \(s.pool) stride \(s.stride) pad \(s.pad) \(s.poolMode) \(s.routing)", tally: &tally))
        }
        // Both forms, both layouts, every activation, backward and update, both optimizers;
        // both pooling modes with both routings; strides 1–3, pads 0–2, dilations 1–2.
        XCTAssertEqual(variety.count, 2 * 2 * 2 * 4 + 2 + 4)
        XCTAssertEqual(strides, [1, 2, 3])
        XCTAssertEqual(pads, [0, 1, 2])
        XCTAssertEqual(dilations, [1, 2])
        XCTAssertGreaterThan(coinciding, 200)
        print("format 2 reader: 240 random layers (160 conv, 80 pool; \(coinciding) with two equal sizes of at least 2), \(tally.tensors) tensors, \(tally.events) events, \(tally.cells) cells checked, \(tally.signsOfZero) zeros of the wrong sign, in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }

    // MARK: The checker catches a wrong name

    /// Swaps the single names `a` and `b` in one tensor's axes.
    func swapped(_ file: FormatTwo.File, tensor id: Int, _ a: String, _ b: String) -> FormatTwo.File {
        var f = file
        f.tensors[id].axes = f.tensors[id].axes.map { axis in
            FormatTwo.parts(axis).map { $0 == a ? b : $0 == b ? a : $0 }.joined(separator: ",")
        }
        return f
    }

    func testASwappedAxisNameIsReportedAsAMismatch() throws {
        // The shipped lesson with B = M = 2: u (M, B, OH, OW) named as if it were (B, M, OH, OW).
        let (name, scenario) = try XCTUnwrap(Self.shipped().first { $0.name.hasPrefix("04-") })
        let trace = try Trace.record(scenario)
        let file = try FormatTwo.read(jsonLines(trace, lesson: name))
        XCTAssertEqual(file.layer.sizes["b"], file.layer.sizes["m"])
        let values = try FormatTwo.rebuild(file)
        let clean = try FormatTwo.checkMeaning(file, values: values, reference: FormatTwo.reference(file))
        XCTAssertEqual(clean.problems, [])
        let u = try XCTUnwrap(file.tensors.firstIndex { $0.name == "u" && $0.axes == ["m", "b", "oh", "ow"] })
        let wrong = swapped(file, tensor: u, "m", "b")
        XCTAssertEqual(wrong.tensors[u].axes, ["b", "m", "oh", "ow"])
        // The lengths alone cannot tell: only the meaning of the cells can.
        XCTAssertFalse(FormatTwo.checkAxes(wrong).contains { $0.contains("length") })
        let report = try FormatTwo.checkMeaning(wrong, values: values, reference: FormatTwo.reference(wrong))
        XCTAssertEqual(report.tensors, [u], "\(report.problems)")
        XCTAssertTrue(report.problems.contains { $0.contains("differ") || $0.contains("the trace has") }, "\(report.problems)")
        print("format 2 reader: the swapped names are reported: \(report.problems.first ?? "")")
    }

    func testEverySwapOfTwoEqualLengthNamesIsReported() throws {
        // B = C = M = FH = FW = 2, H = W = 4, OH = OW = 3: many pairs of names of equal length.
        var g = SplitMix64(seed: 12)
        let x = Self.shuffled(64, &g).map { Double($0 - 32) / 64 }
        let w = Self.shuffled(16, &g).map { Double($0 - 8) / 16 }
        let grad = Self.shuffled(36, &g).map { Double($0 - 18) / 2 }
        var swaps = 0
        for form in ConvForm.allCases {
            for layout in ColumnLayout.allCases {
                let s = Scenario(operation: .conv, passes: .backward, x: Tensor(shape: [2, 2, 4, 4], data: x),
                                 w: Tensor(shape: [2, 2, 2, 2], data: w), b: Tensor(shape: [2], data: [0.25, -0.375]),
                                 grad: Tensor(shape: [2, 2, 3, 3], data: grad), form: form, layout: layout,
                                 activation: .tanh)
                let trace = try Trace.record(s)
                let file = try FormatTwo.read(jsonLines(trace, lesson: "swaps"))
                let values = try FormatTwo.rebuild(file)
                let reference = FormatTwo.reference(file)
                XCTAssertEqual(try FormatTwo.checkMeaning(file, values: values, reference: reference).problems, [])
                for t in file.tensors {
                    let names = t.axes.flatMap(FormatTwo.parts)
                    var pairs: [(String, String)] = []
                    for (i, a) in names.enumerated() {
                        for b in names[(i + 1)...] where file.layer.sizes[a] == file.layer.sizes[b]
                            && a != "h" && a != "w" && b != "h" && b != "w" {
                            pairs.append((a, b))
                        }
                    }
                    if names.contains("h") && names.contains("w") && t.shape[2] == t.shape[3] { pairs.append(("h", "w")) }
                    for (a, b) in pairs {
                        let wrong = swapped(file, tensor: t.id, a, b)
                        let what = "\(form) \(layout): \(t.name) \(t.axes) with \(a) and \(b) swapped"
                        if t.origin == "given" {
                            // The given tensors are where the direct loops start: a wrong name
                            // there is refused outright.
                            let report = try FormatTwo.checkMeaning(wrong, values: values, reference: FormatTwo.reference(wrong))
                            XCTAssertTrue(report.problems.contains { $0.hasPrefix("no given") || $0.hasPrefix("the given") }, what)
                        } else {
                            var report = FormatTwo.Report()
                            FormatTwo.check(wrong.tensors[t.id], values[t.id], against: try XCTUnwrap(reference[t]),
                                            sizes: file.layer.sizes, into: &report)
                            XCTAssertEqual(report.tensors, [t.id], what)
                        }
                        swaps += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(swaps, 100)
        print("format 2 reader: \(swaps) swaps of two names, each reported")
    }
}
