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
        return d.sorted
    }
}

extension Lesson {
    /// The steps a student steps through: those of the phases this lesson shows.
    public func shownStepCount(in trace: Trace) -> Int {
        guard let show else { return trace.stepCount }
        var count = 0
        for (i, phase) in trace.phases.enumerated() where show.contains(phase.kind) {
            let next = i + 1 < trace.phases.count ? trace.phaseFirstStep[i + 1] : trace.stepCount
            count += next - trace.phaseFirstStep[i]
        }
        return count
    }
}

extension Trace {
    /// The index of the phase a lesson heading names (`transpose 2`), if the trace has it.
    public func phaseIndex(of ref: PhaseRef) -> Int? {
        phases.indices.first { phases[$0].kind == ref.kind && phases[$0].occurrence == ref.occurrence }
    }
}
