import Engine
import Trace

extension LessonReader {
    /// Records the lesson's trace and checks what only the trace can tell: that the engine
    /// accepts the setup, and that every phase and step the lesson narrates or asks about, and
    /// every phase it lists in `show:`, exists. Problems point at the lesson's lines.
    public static func check(_ lesson: Lesson) -> Result<Trace, LessonProblems> {
        let trace: Trace
        do {
            trace = try Trace.record(lesson.scenario)
        } catch {
            return .failure(LessonProblems([LessonProblem(file: lesson.path, line: lesson.setupLine, column: 1,
                message: "the engine cannot run this setup: \(error); change the shapes or settings")]))
        }
        let problems = problems(in: lesson, phases: trace.phases.map(\.kind), stepsOf: { index in
            let first = trace.phaseFirstStep[index]
            let next = index + 1 < trace.phases.count ? trace.phaseFirstStep[index + 1] : trace.stepCount
            return next - first
        })
        var all = problems
        // Every answer against what the layer computes, where its phase and step exist.
        for q in lesson.questions {
            guard let spec = q.expected, let phase = trace.phaseIndex(of: q.phase),
                  let place = AnswerPlace(trace: trace, phase: phase, step: q.step) else { continue }
            if case .failure(let problem) = AnswerKey.evaluate(spec, choices: q.choices.map(\.en), trace: trace, place: place) {
                all.append(LessonProblem(file: lesson.path, line: q.answerLine, column: q.answerColumn, message: problem.message))
            }
        }
        let shown = lesson.shownStepCount(in: trace)
        if shown > LessonLimits.maxShownSteps {
            all.append(LessonProblem(file: lesson.path, line: lesson.showLine > 0 ? lesson.showLine : lesson.setupLine, column: 1,
                message: "this lesson shows \(shown) steps, over the lesson limit of \(LessonLimits.maxShownSteps); choose smaller shapes or list fewer phases in `show:`"))
        }
        return all.isEmpty ? .success(trace) : .failure(LessonProblems(all))
    }

    /// The checks of `check(_:)` against a phase sequence: `phases` in trace order and the
    /// number of steps of the phase at each index.
    static func problems(in lesson: Lesson, phases: [PhaseKind], stepsOf: (Int) -> Int) -> [LessonProblem] {
        var d = Diagnostics(file: lesson.path)
        var index: [PhaseRef: Int] = [:]
        var seen: [PhaseKind: Int] = [:]
        for (i, kind) in phases.enumerated() {
            seen[kind, default: 0] += 1
            index[PhaseRef(kind: kind, occurrence: seen[kind]!)] = i
        }
        let places = lesson.notes.map { ($0.phase, $0.step, $0.line) } + lesson.questions.map { ($0.phase, $0.step, $0.line) }
        var reported = Set<PhaseRef>()
        for (ref, step, line) in places.sorted(by: { $0.2 < $1.2 }) {
            guard let i = index[ref] else {
                guard reported.insert(ref).inserted else { continue }
                let count = seen[ref.kind] ?? 0
                let present = Array(Set(phases.map(\.rawValue))).sorted()
                let hint = count > 0
                    ? "this lesson has \(count) `\(ref.kind.rawValue)` phase\(count == 1 ? "" : "s"); address one from 1 to \(count), as in `## \(ref.kind.rawValue) \(count)`"
                    : "its phases are \(phases.map(\.rawValue).joined(separator: ", ")); did you mean `\(Suggest.nearest(ref.kind.rawValue, among: present) ?? "input")`?"
                d.add(line, 1, "there is no phase `\(ref)` when this lesson runs: \(hint)")
                continue
            }
            if let step, step > stepsOf(i) {
                d.add(line, 1, "`## \(ref)` has \(stepsOf(i)) step\(stepsOf(i) == 1 ? "" : "s") in this lesson, so there is no step \(step); use a `### step` from 1 to \(stepsOf(i))")
            }
        }
        for kind in lesson.show ?? [] where seen[kind] == nil {
            d.add(lesson.showLine, 1, "`show:` lists `\(kind.rawValue)`, which this lesson never runs; its phases are \(phases.map(\.rawValue).joined(separator: ", "))")
        }
        for (kind, numbers) in lesson.showOccurrences.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let count = seen[kind] ?? 0
            for n in numbers.sorted() where n > count && count > 0 {
                d.add(lesson.showLine, 1, "`show:` lists `\(kind.rawValue) \(n)`, but this lesson has \(count) `\(kind.rawValue)` phase\(count == 1 ? "" : "s"); use a number from 1 to \(count)")
            }
        }
        return d.sorted
    }
}

extension Lesson {
    /// Things that are allowed but probably not meant: a cell symbol that is also a name the
    /// symbols view gives computed cells by their place (`a`, `b`, … `z`, `aa`, …), so that
    /// `w.symbols: a b c d` would make `a` mean both a weight and the first output.
    public func warnings(for trace: Trace) -> [LessonProblem] {
        let computed = trace.tensors.filter { $0.origin == .zeros }.map { $0.shape.reduce(1, *) }.max() ?? 0
        var automatic: Set<String> = []
        for n in 0..<min(computed, 4096) {
            var k = n, name = ""
            repeat { name = String(UnicodeScalar(UInt8(97 + k % 26))) + name; k = k / 26 - 1 } while k >= 0
            automatic.insert(name)
        }
        var out: [LessonProblem] = []
        for (name, line) in symbolLines.sorted(by: { $0.value < $1.value }) {
            guard let labels = trace.tensors.first(where: { $0.name == name && $0.labels != nil })?.labels else { continue }
            let clashing = labels.filter(automatic.contains)
            guard !clashing.isEmpty else { continue }
            out.append(LessonProblem(file: path, line: line, column: 1,
                message: "warning: `\(name).symbols` uses \(clashing.map { "`\($0)`" }.joined(separator: ", ")), which the symbols view also gives computed cells (a, b, c, … by their place); choose other names, such as capitals"))
        }
        return out
    }

    /// The steps a student steps through: those of the phases this lesson shows.
    public func shownStepCount(in trace: Trace) -> Int { shownSteps(in: trace).count }

    /// The trace's steps the student steps through, in order: those of the phases `show:`
    /// lists, except that a phase that changes nothing (a bias of zeros, the identity
    /// activation and its derivative) takes one step, its last, where every cell is written,
    /// unless the lesson speaks to one of its single steps (`### step N`).
    public func shownSteps(in trace: Trace) -> [Int] {
        let idle = Self.phasesThatChangeNothing(trace)
        return (0..<trace.stepCount).filter { s in
            let p = trace.stepPhase[s], phase = trace.phases[p]
            guard shows(phase.kind, occurrence: phase.occurrence) else { return false }
            guard idle.contains(p), !narratesSteps(of: PhaseRef(kind: phase.kind, occurrence: phase.occurrence)) else { return true }
            return s == (p + 1 < trace.phases.count ? trace.phaseFirstStep[p + 1] : trace.stepCount) - 1
        }
    }

    /// Whether a narration or a question is attached to a single step of this phase.
    func narratesSteps(of phase: PhaseRef) -> Bool {
        notes.contains { $0.phase == phase && $0.step != nil } || questions.contains { $0.phase == phase && $0.step != nil }
    }

    /// The phases whose steps change no value: a bias of zeros, and the identity activation
    /// and its derivative (y = u, dact = grad), read from the trace's events and layer.
    static func phasesThatChangeNothing(_ trace: Trace) -> Set<Int> {
        var idle: Set<Int> = []
        let identity = (trace.layer.activation ?? .identity) == .identity
        for (p, phase) in trace.phases.enumerated() {
            let first = trace.phaseFirstStep[p]
            let end = p + 1 < trace.phases.count ? trace.phaseFirstStep[p + 1] : trace.stepCount
            guard end - first > 1 else { continue }
            switch phase.kind {
            case .bias:
                let adds = (first..<end).flatMap { Array(trace.events(ofStep: $0)) }.filter { $0.kind == .accumulate }
                if adds.allSatisfy({ $0.value == 0 }) { idle.insert(p) }
            case .activation, .dactivation:
                if identity { idle.insert(p) }
            default:
                break
            }
        }
        return idle
    }
}

extension Trace {
    /// The index of the phase a lesson heading names (`transpose 2`), if the trace has it.
    public func phaseIndex(of ref: PhaseRef) -> Int? {
        phases.indices.first { phases[$0].kind == ref.kind && phases[$0].occurrence == ref.occurrence }
    }
}
