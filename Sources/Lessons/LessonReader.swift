import Foundation
import Engine
import NPY
import Trace

/// Reads lesson files: the front matter becomes a `Scenario`, the body becomes narration and
/// questions. Every problem is collected, each with its line and column.
public enum LessonReader {
    /// Parses the text of a lesson. `path` is used in messages and as `Lesson.path`;
    /// `readNPY` is given each `.npy` reference exactly as written (already checked to stay
    /// inside the lesson's folder) and returns its array.
    public static func parse(_ text: String, path: String,
                             readNPY: (String) throws -> Tensor) -> Result<Lesson, LessonProblems> {
        var d = Diagnostics(file: path)
        let lines = splitLines(text)
        let fm = FrontMatter(lines: lines, diagnostics: &d)
        let scenario = withoutActuallyEscaping(readNPY) { reader in
            Setup(fm: fm, readNPY: reader).build(&d)
        }
        let title = localized(fm, "title", required: true, &d)
        let summary = localized(fm, "summary", required: false, &d)
        let show = readShow(fm, &d)
        let view = readView(fm, &d)
        let body = Body(lines: lines, from: fm.bodyStart, diagnostics: &d)
        if let show {
            for (ref, line) in body.sections.sorted(by: { $0.value < $1.value })
            where !show.kinds.contains(ref.kind) || !(show.occurrences[ref.kind]?.contains(ref.occurrence) ?? true) {
                d.add(line, 1, "`## \(ref)` narrates a phase that `show:` leaves out; add `\(ref)` to `show:` or remove this section")
            }
        }
        func lesson(_ scenario: Scenario) -> Lesson {
            var lesson = Lesson(path: path, title: title ?? Localized(en: "", ja: ""), summary: summary ?? Localized(en: "", ja: ""),
                                scenario: scenario, show: show?.kinds, notes: body.notes, questions: body.questions,
                                setupLine: fm["operation"]?.key.line ?? 1, showLine: fm["show"]?.key.line ?? 1)
            lesson.showOccurrences = show?.occurrences ?? [:]
            lesson.startsInSymbols = view
            lesson.symbolLines = ["x", "w"].reduce(into: [:]) { lines, name in lines[name] = fm["\(name).symbols"]?.key.line }
            return lesson
        }
        guard d.isEmpty, let scenario, title != nil, summary != nil else {
            // Whatever else is wrong, a setup that runs is run, so that one `check` reports
            // the body's problems with the phases too (a step past its phase's end), not only
            // the first kind of problem found.
            var all = d.problems.isEmpty ? [LessonProblem(file: path, line: 1, column: 1, message: "the lesson could not be read")] : d.sorted
            if let scenario, case .failure(let more) = check(lesson(scenario)) {
                all += Array(more).filter { !all.contains($0) }
                all.sort { ($0.line, $0.column) < ($1.line, $1.column) }
            }
            return .failure(LessonProblems(all))
        }
        return .success(lesson(scenario))
    }

    /// Reads and parses a lesson file; `.npy` references are read relative to its folder and
    /// may not lead out of it, not even through a symbolic link.
    public static func load(path: String) -> Result<Lesson, LessonProblems> {
        let fail = { (message: String) in Result<Lesson, LessonProblems>.failure(LessonProblems([LessonProblem(file: path, line: 1, column: 1, message: message)])) }
        let url = URL(fileURLWithPath: path)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? NSNumber else {
            return fail("cannot open the lesson file: check the path (lessons are `.md` files, such as `Lessons/01-sliding-filter.md`)")
        }
        guard (attributes[.type] as? FileAttributeType) != .typeDirectory else {
            return fail("this is a folder; give a lesson file inside it, or use `--lessons \(path)`")
        }
        guard size.intValue <= LessonLimits.maxFileBytes else {
            return fail("the file has \(size.intValue) bytes; a lesson is a small text file of at most \(LessonLimits.maxFileBytes) bytes")
        }
        guard let data = try? Data(contentsOf: url) else { return fail("cannot read the lesson file") }
        guard let text = String(data: data, encoding: .utf8) else {
            return fail("the lesson is not UTF-8 text: save it as UTF-8 in your editor")
        }
        let folder = url.deletingLastPathComponent().resolvingSymlinksInPath().standardizedFileURL.path
        return parse(text, path: path) { relative in
            try readInside(folder: folder, relative: relative)
        }
    }

    /// A `.npy` file below `folder`, after following every symbolic link.
    static func readInside(folder: String, relative: String) throws -> Tensor {
        let target = URL(fileURLWithPath: folder).appendingPathComponent(relative)
            .resolvingSymlinksInPath().standardizedFileURL.path
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        guard target.hasPrefix(prefix) else {
            throw EngineError("it leads out of the lesson's folder (to \(target)); keep the file next to the lesson")
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target),
              let size = attributes[.size] as? NSNumber else {
            throw EngineError("there is no such file next to the lesson")
        }
        guard size.intValue <= LessonLimits.maxFileBytes else {
            throw EngineError("it has \(size.intValue) bytes, more than a lesson's \(LessonLimits.maxFileBytes)")
        }
        return try NPY.read(path: target)
    }

    /// Lines split at `\n`, `\r\n` or `\r`, after a byte-order mark if any.
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for c in text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text {
            if c.isNewline {
                lines.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        lines.append(current)
        return lines
    }

    /// `title.en` and `title.ja` (or `summary.…`): both or neither.
    private static func localized(_ fm: FrontMatter, _ base: String, required: Bool, _ d: inout Diagnostics) -> Localized? {
        let en = fm["\(base).en"], ja = fm["\(base).ja"]
        switch (en, ja) {
        case let (en?, ja?): return Localized(en: en.value.text, ja: ja.value.text)
        case let (en?, nil):
            d.add(en.key.line, en.key.column, "`\(base).en` has no Japanese: add a line `\(base).ja: …`")
        case let (nil, ja?):
            d.add(ja.key.line, ja.key.column, "`\(base).ja` has no English: add a line `\(base).en: …`")
        case (nil, nil):
            if !required { return Localized(en: "", ja: "") }
            d.add(1, 1, "the front matter needs `\(base).en: …` and `\(base).ja: …`")
        }
        return nil
    }

    /// `view: symbols` or `view: numbers`: the view the lesson starts in.
    private static func readView(_ fm: FrontMatter, _ d: inout Diagnostics) -> Bool? {
        guard let e = fm["view"] else { return nil }
        switch e.value.text.lowercased() {
        case "symbols": return true
        case "numbers": return false
        default:
            d.add(e.value.line, e.value.column, "`view:` is `symbols` or `numbers`, not `\(e.value.text)`")
            return nil
        }
    }

    /// `show: input, slide, transpose 4`: the phase kinds to show, and for a kind followed by
    /// numbers, only those occurrences of it.
    private static func readShow(_ fm: FrontMatter, _ d: inout Diagnostics) -> (kinds: [PhaseKind], occurrences: [PhaseKind: [Int]])? {
        guard let e = fm["show"] else { return nil }
        if e.value.text.lowercased() == "all" { return nil }
        var kinds: [PhaseKind] = []
        var occurrences: [PhaseKind: [Int]] = [:]
        var wholeKinds: Set<PhaseKind> = []
        var last: PhaseKind?
        let names = PhaseKind.allCases.map(\.rawValue)
        let items = splitItems(e.value.text, line: e.value.line, column: e.value.column)
        for (i, item) in items.enumerated() {
            if item.text.allSatisfy(\.isNumber) {
                guard let kind = last else {
                    d.add(item.line, item.column, "`\(item.text)` in `show:` follows no phase; write the phase first, as in `transpose \(item.text)`")
                    continue
                }
                guard let n = Int(item.text), n >= 1, n <= LessonLimits.maxShownSteps else {
                    d.add(item.line, item.column, "`\(kind.rawValue) \(item.text)`: an occurrence counts from 1, as in `\(kind.rawValue) 2`")
                    continue
                }
                if occurrences[kind, default: []].contains(n) {
                    d.add(item.line, item.column, "`\(kind.rawValue) \(n)` is listed twice in `show:`; list each phase once")
                } else {
                    occurrences[kind, default: []].append(n)
                }
                continue
            }
            guard let kind = PhaseKind(rawValue: item.text.lowercased()) else {
                let near = Suggest.nearest(item.text, among: names) ?? "input"
                d.add(item.line, item.column, "`\(item.text)` is not a phase; did you mean `\(near)`? (phases: \(names.joined(separator: ", ")))")
                last = nil
                continue
            }
            last = kind
            let numbered = i + 1 < items.count && items[i + 1].text.allSatisfy(\.isNumber)
            if kinds.contains(kind) && (!numbered || wholeKinds.contains(kind)) {
                d.add(item.line, item.column, "`\(kind.rawValue)` is listed twice in `show:`; list each phase once (a phase kind without a number covers all its occurrences; `\(kind.rawValue) 2` names one)")
            } else if !kinds.contains(kind) {
                kinds.append(kind)
            }
            if !numbered { wholeKinds.insert(kind) }
        }
        for kind in wholeKinds where occurrences[kind] != nil {
            occurrences[kind] = nil
            d.add(e.value.line, e.value.column, "`show:` lists `\(kind.rawValue)` both with and without a number; a kind without a number already covers all its occurrences")
        }
        return (kinds, occurrences)
    }
}
