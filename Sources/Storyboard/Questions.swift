import Engine
import Trace
import Lessons

/// A question as a front end asks it, in one language: the prompt, the lesson's answer text,
/// and, for a question with an `answer:` line or a practice step, the key typed answers are
/// checked against and the hint shown after a wrong try.
public struct AskedQuestion: Sendable, Equatable {
    public var prompt: String
    /// The lesson's answer as it wrote it (`> en:`); empty for a practice step.
    public var answer: String
    /// What a typed answer is checked against; nil when the question is only discussed.
    public var key: AnswerKey?
    /// The arithmetic that leads to the answer without giving it away, shown after a wrong try.
    public var hint: String
    /// The choices of a choice question, in order (the student types a number).
    public var choices: [String]
    /// The phase the question belongs to, as lesson headings name it (`slide`, `transpose 2`).
    public var phase: String

    public init(prompt: String, answer: String, key: AnswerKey? = nil, hint: String = "", choices: [String] = [], phase: String = "") {
        self.prompt = prompt
        self.answer = answer
        self.key = key
        self.hint = hint
        self.choices = choices
        self.phase = phase
    }

    /// The prompt followed by the numbered choices, one per line.
    public var promptWithChoices: String {
        ([prompt] + choices.enumerated().map { "\($0.offset + 1). \($0.element)" }).joined(separator: "\n")
    }
}

extension Storyboard {
    /// The question asked before visible step `step`, with its key evaluated from the trace and
    /// its hint, in `language`.
    public func asked(before step: Int, language: Language) -> AskedQuestion? {
        guard let q = questionAsked(before: step), let (phase, within) = locate(step) else { return nil }
        let lang = language.rawValue
        let choices = q.choices.map { $0.text(lang) }
        var asked = AskedQuestion(prompt: q.prompt.text(lang), answer: q.answer.text(lang), choices: choices,
                                  phase: ref(phase).description)
        let onStep = script.questions(for: ref(phase), step: within).first == q
        if let spec = q.expected, let place = AnswerPlace(trace: trace, phase: phase, step: onStep ? within : nil),
           case .success(let key) = AnswerKey.evaluate(spec, choices: choices, trace: trace, place: place) {
            asked.key = key
            asked.hint = hint(for: key, atTraceStep: place.traceStep, phase: phase, language: language)
        }
        return asked
    }

    /// The lesson's question whose answer the frame at visible step `step` shows: one asked
    /// before this very step, or one on the whole phase when this is the phase's last step, so
    /// that no answer is shown before the step that computes it.
    func questionAnswered(at step: Int) -> Question? {
        guard let (phase, within) = locate(step) else { return nil }
        if let q = script.questions(for: ref(phase), step: within).first { return q }
        let next = phase + 1 < trace.phases.count ? trace.phaseFirstStep[phase + 1] : trace.stepCount
        guard visibleSteps[step] == next - 1 else { return nil }
        return script.questions(for: ref(phase), step: nil).first
    }

    /// The arithmetic that leads to `key` without stating it: a sum without its result; for
    /// cells, the step before (the pattern the next step follows); else the phase's code line.
    func hint(for key: AnswerKey, atTraceStep traceStep: Int, phase: Int, language: Language) -> String {
        func arithmetic(_ s: Int) -> Arithmetic? {
            guard let position = visibleSteps.firstIndex(of: s) else { return nil }
            let scene = Scene(board: self, position: position, phase: phase, within: s - trace.phaseFirstStep[phase] + 1,
                              options: ViewOptions(language: language))
            return StepText(scene: scene).arithmetic()
        }
        let before = language == .ja ? "前のステップ: " : "the step before: "
        let code = trace.phases[phase].code.text
        switch key {
        case .number:
            if let a = arithmetic(traceStep), !a.parts.isEmpty, !a.tail.isEmpty {
                return a.head + a.parts.joined(separator: a.separator) + (language == .ja ? " = ?" : " = ?")
            }
            if traceStep > trace.phaseFirstStep[phase], let a = arithmetic(traceStep - 1) { return before + a.text }
            return code
        case .cells:
            if traceStep > trace.phaseFirstStep[phase], let a = arithmetic(traceStep - 1) { return before + a.text }
            return code
        case .shape, .choice:
            return code
        }
    }

    /// The frame shown while the question before visible step `step` is asked: the step before
    /// it (nothing of the answer computed yet), with the question where the narration begins.
    /// Nil where no question is asked. What `render --all` and `record` show before the answer.
    public func questionFrame(before step: Int, size: Size, options: ViewOptions) -> Frame? {
        guard let asked = asked(before: step, language: options.languageShown) else { return nil }
        var options = options
        options.language = options.languageShown
        let position = max(0, step - 1)
        guard let (phase, within) = locate(position),
              size.width >= minimumSize.width, size.height >= minimumSize.height else { return nil }
        var frame = Frame(size: size)
        var scene = Scene(board: self, position: position, phase: phase, within: within, options: options)
        scene.asking = (options.language == .ja ? "問題: " : "Question: ") + asked.promptWithChoices
        scene.draw(into: &frame)
        if options.asciiOnly { frame.transliterateToASCII(keepingWide: options.keepsJapanese) }
        return frame
    }
}
