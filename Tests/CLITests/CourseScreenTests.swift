import Foundation
import XCTest

/// What the course's frames say, read from the real `tatami` as a student sees it, and checked
/// against things derived here without the drawing code: the trace's header (tensor names,
/// axis names, code lines), the article's own text, and numpy's arithmetic.
final class CourseScreenTests: XCTestCase {

    // MARK: - The course, its traces and the article

    /// Every lesson of the course, by the name `tatami list` gives it.
    static func lessons() throws -> [String] {
        let r = try Executable.run(["list"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    /// The trace's header line, parsed.
    static func header(_ lesson: String) throws -> [String: Any] {
        let r = try Executable.run(["trace", lesson])
        XCTAssertEqual(r.status, 0, r.stderr)
        let first = try XCTUnwrap(r.stdout.split(separator: "\n").first)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
    }

    /// The `code` objects of the trace's phases.
    static func codes(_ header: [String: Any]) -> [[String: Any]] {
        (header["phases"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? [String: Any] }
    }

    /// The article: `TATAMI_ARTICLE`, or `shared/seed/` beside the repository or beside a
    /// folder above it, or `/work/shared/seed` where the clone is elsewhere. It is on every
    /// development and CI machine; where it is not, these tests say so and are skipped.
    static func article() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let file = "shared/seed/000_4c77515f98c1da04.txt"
        var candidates = [ProcessInfo.processInfo.environment["TATAMI_ARTICLE"]].compactMap { $0 }
        var folder = root.deletingLastPathComponent()
        while folder.path != "/" {
            candidates.append(folder.appendingPathComponent(file).path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append("/work/" + file)
        for path in candidates {
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { return text }
        }
        throw XCTSkip("the article is not on this machine (looked in \(candidates.joined(separator: ", "))); set TATAMI_ARTICLE to its path")
    }

    /// The article's statements: each line with white space folded, and a statement the
    /// article breaks over several lines (inside brackets) joined with single spaces.
    static func statements(_ text: String) -> Set<String> {
        var out: Set<String> = [], pending = "", depth = 0
        for raw in text.split(separator: "\n") {
            let line = raw.split(separator: " ").joined(separator: " ")
            guard !line.isEmpty else { continue }
            pending = pending.isEmpty ? line : pending + " " + line
            depth += line.filter { "([{".contains($0) }.count - line.filter { ")]}".contains($0) }.count
            if depth <= 0 {
                out.insert(pending.replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")"))
                (pending, depth) = ("", 0)
            }
        }
        return out
    }

    static func words(_ s: String) -> [String] {
        s.matches(of: /[A-Za-z_][A-Za-z0-9_]*/).map { String($0.output) }
    }

    /// The frames of `render --all` (a question's frame among them), without the `── step` and
    /// `── question before step` lines between them: a format for scripts, not a frame's text.
    static func frames(_ output: String) -> [[String]] {
        var frames: [[String]] = []
        for line in output.components(separatedBy: "\n") {
            if line.hasPrefix("── step ") || line.hasPrefix("── question before step ") {
                frames.append([])
            } else if !frames.isEmpty {
                frames[frames.count - 1].append(line)
            }
        }
        return frames
    }

    // MARK: - The code pane tells the truth

    func testEveryArticleLineOfEveryLessonIsVerbatimInTheArticle() throws {
        let statements = Self.statements(try Self.article())
        var checked = 0
        for lesson in try Self.lessons() {
            for code in Self.codes(try Self.header(lesson)) {
                let text = try XCTUnwrap(code["text"] as? String)
                switch code["provenance"] as? String {
                case "article":
                    XCTAssertTrue(statements.contains(text), "lesson \(lesson) shows as the article's own: \(text)")
                    checked += 1
                case "adapted":
                    let original = try XCTUnwrap(code["article"] as? String)
                    XCTAssertTrue(statements.contains(original), "lesson \(lesson) adapts a line the article lacks: \(original)")
                    XCTAssertFalse(statements.contains(text), "lesson \(lesson) calls adapted a verbatim line: \(text)")
                    XCTAssertFalse((code["change"] as? String ?? "").isEmpty)
                case "added":
                    XCTAssertFalse(statements.contains(text), "lesson \(lesson) calls added a line of the article: \(text)")
                    XCTAssertFalse((code["why"] as? String ?? "").isEmpty)
                default:
                    XCTFail("lesson \(lesson): no provenance for \(text)")
                }
            }
        }
        XCTAssertGreaterThan(checked, 50)
    }

    /// Every code line on screen carries its provenance, and the line in focus says what the
    /// article has instead (adapted) or why it is there (added), in both languages.
    func testTheCodePaneSaysWhereEachLineComesFrom() throws {
        for lesson in ["05", "10", "01", "04b"] {
            let header = try Self.header(lesson)
            let codes = Self.codes(header)
            for language in ["en", "ja"] {
                let r = try Executable.run(["render", lesson, "--all", "--lang", language, "--color", "never"])
                XCTAssertEqual(r.status, 0, r.stderr)
                for frame in Self.frames(r.stdout) {
                    for line in frame {
                        // A line of the code pane: a marker ("▶ " or two spaces), then the code.
                        guard line.hasPrefix("▶ ") || line.hasPrefix("  "),
                              let code = codes.first(where: { line.dropFirst(2).hasPrefix($0["text"] as! String) })
                        else { continue }
                        let tag: String
                        switch code["provenance"] as? String {
                        case "article": tag = language == "ja" ? "[記事]" : "[article]"
                        case "adapted": tag = language == "ja" ? "[記事を変更]" : "[adapted]"
                        default: tag = language == "ja" ? "[追加]" : "[added]"
                        }
                        XCTAssertTrue(line.hasSuffix(tag), "lesson \(lesson) \(language): \(line)")
                    }
                }
            }
        }
    }

    func testTheNaiveLoopsMissingSumIsSaidOnScreen() throws {
        for (language, words) in [("en", ["no .sum()"]), ("ja", [".sum() がなく"])] {
            let frame = try render("01", step: 3, language: language)
            XCTAssertTrue(frame.contains("Output[h, w] = Image[h:h_lim, w:w_lim] * Filter"), frame)
            for w in words { XCTAssertTrue(frame.contains(w), "\(language): \(frame)") }
        }
    }

    func testTheCorrectedRoutingLineIsMarkedAsTheFix() throws {
        let header = try Self.header("10")
        let route = try XCTUnwrap(Self.codes(header).first { ($0["text"] as? String)?.contains("np.arange") == true })
        XCTAssertEqual(route["provenance"] as? String, "adapted")
        XCTAssertEqual(route["article"] as? String, "self.grad_x[:, self.max_index] = grad")
        let step = try firstStep(of: "route", in: "10")
        let en = try render("10", step: step, language: "en"), ja = try render("10", step: step, language: "ja")
        XCTAssertTrue(en.contains("Adapted from the article's self.grad_x[:, self.max_index] = grad: the fix"), en)
        XCTAssertTrue(ja.contains("記事の行 self.grad_x[:, self.max_index] = grad を変更: 修正版です"), ja)
    }

    func testTheNpPadLineSaysSameGivesAFloatThatNumpyRefuses() throws {
        // In the article, pad="same" is 0.5*((I_h − 1)·stride − I_h + F_h): a float even when whole.
        let article = try Self.article()
        XCTAssertTrue(article.contains("pad_ud = 0.5*((I_h - 1)*stride_ud - I_h + F_h)"))
        let step = try firstStep(of: "pad", in: "05")
        let en = try render("05", step: step, language: "en"), ja = try render("05", step: step, language: "ja")
        XCTAssertTrue(en.contains("Not in the article") && en.contains("is a float") && en.contains("np.pad refuses"), en)
        XCTAssertTrue(ja.contains("記事にない行") && ja.contains("浮動小数点数") && ja.contains("np.pad は受け付けません"), ja)
    }

    // MARK: - Japanese on screen

    /// Under `--lang ja` no English word is on screen outside the code pane and the names the
    /// trace gives: tensor and axis names, cell symbols, identifiers of any code line of the
    /// course, identifiers of the article's code, words inside backticks, single letters
    /// (variables), and a few proper names.
    func testJapaneseFramesHaveNoEnglishOutsideCodeAndNames() throws {
        let article = try Self.article()
        // Names, not English: the program, the language and library, keys, and the article's
        // own label for its plain version, 工夫なしver.
        var allowed: Set<String> = ["Tatami", "tatami", "Python", "numpy", "SGD", "PgDn", "PgUp", "NaN", "ver"]
        for line in article.split(separator: "\n") where line.allSatisfy(\.isASCII) && line.contains(where: { "=()".contains($0) }) {
            // String literals count only as one identifier ("same", "ReLU"), not as prose.
            let code = line.replacing(/"([^"]*)"/) { m in
                m.output.1.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil ? " \(m.output.1) " : " "
            }
            allowed.formUnion(Self.words(String(code)))
        }
        let lessons = try Self.lessons()
        var codes: [String] = []
        var headers: [String: [String: Any]] = [:]
        for lesson in lessons {
            let h = try Self.header(lesson)
            headers[lesson] = h
            for c in Self.codes(h) {
                for key in ["text", "article"] { if let s = c[key] as? String { codes.append(s) } }
            }
        }
        for c in codes { allowed.formUnion(Self.words(c)) }
        codes.sort { $0.count > $1.count }
        XCTAssertGreaterThanOrEqual(lessons.count, 15)
        for lesson in lessons {
            var names = allowed
            for t in headers[lesson]?["tensors"] as? [[String: Any]] ?? [] {
                if let n = t["name"] as? String { names.insert(n) }
                for a in t["axes"] as? [String] ?? [] { names.formUnion(a.split(separator: ",").map(String.init)) }
                for l in t["labels"] as? [String] ?? [] { names.insert(l) }
            }
            let r = try Executable.run(["render", lesson, "--all", "--lang", "ja", "--color", "never"])
            XCTAssertEqual(r.status, 0, r.stderr)
            var found: [String: String] = [:]
            for frame in Self.frames(r.stdout) {
                var prose: [String] = []
                for line in frame {
                    var s = line
                    for c in codes { s = s.replacingOccurrences(of: c, with: " ") }
                    // A code line cut to fit ends in "…": what is left must begin a code line.
                    if let cut = s.firstIndex(of: "…") {
                        let before = s[..<cut].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "▶ ", with: "")
                        if !before.isEmpty, codes.contains(where: { $0.hasPrefix(before) }) { continue }
                    }
                    prose.append(s)
                }
                let text = prose.joined(separator: "\n").replacing(/`[^`]*`/, with: " ")
                for w in Self.words(text) where w.count > 1 && !names.contains(w) {
                    found[w] = found[w] ?? text.split(separator: "\n").first { $0.contains(w) }.map(String.init) ?? ""
                }
            }
            XCTAssertTrue(found.isEmpty, "lesson \(lesson): English on a Japanese screen:\n"
                + found.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "\n"))
        }
    }

    /// The review's screen labels, in the words it asks for: the im2col title follows the
    /// article's layout (one column per placement: `self.w@self.x` takes (C·F_h·F_w, B·O_h·O_w)),
    /// the col2im count says what it counts, and Adam's note is Japanese.
    func testTheScreenLabelsReadAsTheReviewAsks() throws {
        let article = try Self.article()
        XCTAssertTrue(article.contains("self.u = self.w@self.x + self.b"), "the plain form multiplies w (M, C·F_h·F_w) by im2col's columns")
        let l02 = try Executable.run(["render", "02", "--all", "--lang", "ja", "--color", "never"]).stdout
        XCTAssertTrue(l02.contains("im2col関数: フィルタの位置 1 か所につき 1 列"), l02)
        XCTAssertFalse(l02.contains("1列が1か所"), l02)
        let l05b = try Executable.run(["render", "05b", "--all", "--lang", "ja", "--color", "never"]).stdout
        XCTAssertTrue(l05b.contains("各マスを覆う窓の数"), l05b)
        XCTAssertFalse(l05b.contains("窓の重なり"), l05b)
        let l12b = try Executable.run(["render", "12b", "--all", "--lang", "ja", "--color", "never"]).stdout
        XCTAssertTrue(l12b.contains("（Adam、m̂ = "), l12b)
        XCTAssertFalse(l12b.contains("Adam, from"), l12b)
        // The rows layout puts one placement per row, and the title says so.
        let rows = try Executable.run(["render", "02", "--step", "2", "--layout", "rows", "--lang", "ja", "--color", "never"]).stdout
        XCTAssertTrue(rows.contains("im2col関数: フィルタの位置 1 か所につき 1 行"), rows)
    }

    // MARK: - The errors the reading found

    /// Lesson 12's bias update: the bias line in focus and `b − lr·grad_b`, never the filter's.
    func testTheBiasUpdateFrameIsAboutTheBias() throws {
        let r = try Executable.run(["render", "12", "--all", "--color", "never"])
        let last = try XCTUnwrap(Self.frames(r.stdout).last)
        let focus = try XCTUnwrap(last.first { $0.hasPrefix("▶ ") })
        XCTAssertTrue(focus.contains("self.b -= "), focus)
        let arithmetic = try XCTUnwrap(last.first { $0.hasPrefix("b[0, 0] = ") }, last.joined(separator: "\n"))
        XCTAssertTrue(arithmetic.hasSuffix("(b − lr·grad_b[0, 0])"), arithmetic)
        let ja = try XCTUnwrap(Self.frames(try Executable.run(["render", "12", "--all", "--lang", "ja", "--color", "never"]).stdout).last)
        XCTAssertTrue(ja.contains { $0.hasSuffix("(b − 学習率·grad_b[0, 0])") }, ja.joined(separator: "\n"))
    }

    /// `np.sum(dact, axis=1).reshape(M, 1)` has shape (M, 1), and so does grad_b on screen.
    func testGradBHasTheShapeOfTheArticlesReshape() throws {
        for lesson in ["07", "12"] {
            let header = try Self.header(lesson)
            let layer = try XCTUnwrap(header["layer"] as? [String: Any])
            XCTAssertEqual(layer["form"] as? String, "plain")
            let m = try XCTUnwrap((layer["filter"] as? [Int])?.first)
            let tensors = header["tensors"] as? [[String: Any]] ?? []
            let gradB = tensors.filter { $0["name"] as? String == "grad_b" }
            XCTAssertFalse(gradB.isEmpty)
            for t in gradB { XCTAssertEqual(t["shape"] as? [Int], [m, 1], "lesson \(lesson)") }
            let frame = try render(lesson, step: try firstStep(of: "grad-b", in: lesson), language: "en")
            XCTAssertTrue(frame.contains("grad_b  (\(m), 1)"), frame)
            XCTAssertTrue(frame.contains("np.sum(dact, axis=1).reshape(M, 1)"), frame)
        }
    }

    /// Lesson 12b: the code line, the caption and the value are one Adam form, w − lr·m̂/(√v̂ + ε),
    /// with m̂ and v̂ on screen as numbers computed here from the lesson's own arrays.
    func testTheAdamFrameShowsOneFormWithMHatAndVHat() throws {
        let header = try Self.header("12b")
        let layer = try XCTUnwrap(header["layer"] as? [String: Any])
        let opt = try XCTUnwrap(layer["optimizer"] as? [String: Any])
        XCTAssertEqual(opt["name"] as? String, "adam")
        let (lr, b1, b2, eps) = (opt["lr"] as! Double, opt["beta1"] as! Double, opt["beta2"] as! Double, opt["eps"] as! Double)
        let tensors = header["tensors"] as? [[String: Any]] ?? []
        func given(_ name: String) throws -> (shape: [Int], values: [Double]) {
            let t = try XCTUnwrap(tensors.first { $0["name"] as? String == name && $0["initial"] != nil }, name)
            return (t["shape"] as! [Int], (t["initial"] as! [Any]).map { ($0 as? Double) ?? Double($0 as! Int) })
        }
        // grad_w[0, 0] by the definition: the sum over placements of grad · the input under w[0, 0].
        let x = try given("x"), w = try given("w"), grad = try given("grad")
        XCTAssertEqual(x.shape[0], 1)
        XCTAssertEqual(x.shape[1], 1)
        let (h, wd, fh, fw) = (x.shape[2], x.shape[3], w.shape[2], w.shape[3])
        let (oh, ow) = (h - fh + 1, wd - fw + 1)
        var g = 0.0
        for i in 0..<oh { for j in 0..<ow { g += grad.values[i * ow + j] * x.values[i * wd + j] } }
        let (m, v) = ((1 - b1) * g, (1 - b2) * g * g)
        let (mHat, vHat) = (m / (1 - b1), v / (1 - b2))
        let updated = w.values[0] - lr * mHat / (vHat.squareRoot() + eps)
        func f(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(format: "%.3f", d).replacing(/0+$/, with: "") }

        let frame = try render("12b", step: try firstStep(of: "update", in: "12b"), language: "en")
        let focus = try XCTUnwrap(frame.split(separator: "\n").first { $0.hasPrefix("▶ ") })
        XCTAssertTrue(focus.contains("m_hat/(np.sqrt(v_hat) + self.eps)"), String(focus))
        let flat = frame.replacingOccurrences(of: "\n", with: " ")
        XCTAssertTrue(flat.contains("w_mat[0, 0] = \(f(w.values[0])) − \(f(lr))·m̂/(√v̂ + ε) = \(f(w.values[0])) − \(f(lr))·\(f(mHat))/(√\(f(vHat)) + ε) = \(f(updated))"), frame)
        XCTAssertTrue(flat.contains("m̂ = \(f(m))/(1 − \(f(b1))) = \(f(mHat))"), frame)
        XCTAssertTrue(flat.contains("v̂ = \(f(v))/(1 − \(f(b2))) = \(f(vHat))"), frame)
        XCTAssertFalse(frame.contains("alpha_t"), frame)
    }

    // MARK: - Pictures and pacing

    /// Lesson 01 opens in the symbols view, as its narration speaks (a = 1W + 2X + 5Y + 6Z);
    /// `--numbers` still chooses numbers.
    func testLessonOneStartsInSymbols() throws {
        let symbols = try render("01", step: try firstStep(of: "slide", in: "01"), language: "en")
        XCTAssertTrue(symbols.contains("a = 1·W + 2·X + 5·Y + 6·Z"), symbols)
        let r = try Executable.run(["render", "01", "--step", String(try firstStep(of: "slide", in: "01")), "--numbers", "--color", "never"])
        XCTAssertTrue(r.stdout.contains("out[0, 0, 0, 0] = 1·1 + 2·2 + 5·3 + 6·4 = 44"), r.stdout)
    }

    /// The article's figure in the symbols view: the im2col matrix's rows are the filter's
    /// symbols (from the lesson's `w.symbols`), its columns the outputs a … i, and the product
    /// reads as the article writes a = 1W + 2X + 5Y + 6Z.
    func testTheSymbolsViewLabelsTheIm2colMatrixAsTheArticlesFigure() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("Lessons/01-sliding-filter.md"), encoding: .utf8)
        let symbols = try XCTUnwrap(file.split(separator: "\n").first { $0.hasPrefix("w.symbols:") })
            .dropFirst("w.symbols:".count).split(separator: " ").map(String.init)
        XCTAssertEqual(symbols, ["W", "X", "Y", "Z"])
        let outputs = (0..<9).map { String(UnicodeScalar(UInt8(97 + $0))) }
        let frame = try render("01", step: try firstStep(of: "gemm", in: "01"), language: "en")
        let lines = frame.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.contains(outputs.joined(separator: "   ")) }, frame)
        for (k, name) in symbols.enumerated() {
            // Row k of cols: the filter's symbol, then the input cells under it (row 0: 1 2 3 5 6 7 9 10 11).
            let firstCells = [1, 2, 3].map { String($0 + (k / 2) * 4 + k % 2) }  // marks (* < >) may sit between cells
            XCTAssertTrue(lines.contains { $0.range(of: #"\b\#(name)[ *<>]+\#(firstCells.joined(separator: "[ *<>]+"))\b"#, options: .regularExpression) != nil },
                          "row \(k) labelled \(name): \(frame)")
        }
        // The article: a = 1W + 2X + 5Y + 6Z; the product step reads it as row W X Y Z times column a.
        let article = try Self.article()
        XCTAssertTrue(article.contains("a = 1W + 2X + 5Y + 6Z"))
        XCTAssertTrue(frame.contains("a = W·1 + X·2 + Y·5 + Z·6"), frame)
    }

    /// Lesson 01's zero bias and identity activation change nothing: one step each. Lesson 04's
    /// bias (10 and 100) adds to every placement: one step per placement.
    func testAPhaseThatChangesNothingTakesOneStep() throws {
        func count(_ lesson: String, _ kind: String) throws -> Int {
            let r = try Executable.run(["render", lesson, "--all", "--color", "never"])
            return r.stdout.split(separator: "\n").filter { $0.hasPrefix("── step ") && $0.contains(" · \(kind) ") }.count
        }
        XCTAssertEqual(try count("01", "bias"), 1)
        XCTAssertEqual(try count("01", "activation"), 1)
        let frame = try render("01", step: try firstStep(of: "activation", in: "01"), language: "en")
        XCTAssertFalse(frame.contains("·  ·"), "every output is written: \(frame)")
        let header = try Self.header("04")
        let filter = try XCTUnwrap((header["layer"] as? [String: Any])?["filter"] as? [Int])
        let sizes = try XCTUnwrap((header["layer"] as? [String: Any])?["sizes"] as? [String: Int])
        XCTAssertEqual(try count("04", "bias"), sizes["b"]! * sizes["oh"]! * sizes["ow"]!, "filters \(filter)")
    }

    /// `show: transpose 4, …` in lesson 07c shows the backward transposes, not the forward ones.
    func testShowPicksTheBackwardOccurrence() throws {
        let r = try Executable.run(["render", "07c", "--all", "--color", "never"])
        let separators = r.stdout.split(separator: "\n").filter { $0.hasPrefix("── step ") }
        XCTAssertTrue(separators.first?.contains(" · transpose 4 ") ?? false, "\(separators.first ?? "")")
        XCTAssertFalse(separators.contains { $0.contains(" · transpose 1 ") || $0.contains(" · transpose 2 ") || $0.contains(" · transpose 3 ") })
        XCTAssertTrue(separators.contains { $0.contains(" · transpose 6 ") })
    }

    // MARK: - Helpers

    private func render(_ lesson: String, step: Int, language: String) throws -> String {
        let r = try Executable.run(["render", lesson, "--step", String(step), "--lang", language, "--color", "never"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout
    }

    /// The step (from 1, as `--step` takes it) where the first phase of `kind` starts.
    private func firstStep(of kind: String, in lesson: String) throws -> Int {
        let r = try Executable.run(["render", lesson, "--all", "--color", "never"])
        let separators = r.stdout.split(separator: "\n").filter { $0.hasPrefix("── step ") }
        let at = try XCTUnwrap(separators.firstIndex { $0.contains(" · \(kind) ") }, "no \(kind) in lesson \(lesson)")
        return at + 1
    }
}
