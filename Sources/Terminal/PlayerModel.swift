import Storyboard

/// The player's state and every key's meaning, with no terminal attached: the curses front
/// end only translates keys in and frames out, so that all behaviour can be tested here.
public struct PlayerModel: Sendable {
    /// Playback speeds `+` and `-` move along, in steps per second.
    public static let speedLadder: [Double] = [0.5, 1, 2, 4, 8, 16]

    public internal(set) var source: any FrameSource
    /// Free play's settings that keys change while playing; nil for a lesson.
    public internal(set) var live: (any LiveSettings)?
    /// The step on screen, 0-based. A new step shows its narration from the top.
    public internal(set) var step: Int {
        didSet { if step != oldValue { (options.narrationOffset, options.blockPage) = (0, 0) } }
    }
    public internal(set) var playing: Bool
    public private(set) var stepsPerSecond: Double
    public internal(set) var options: ViewOptions
    public internal(set) var overlay: Overlay = .none
    /// Steps whose question has been answered (or its answer shown): moving back and forth
    /// over them does not ask again. A question left with Esc is asked again.
    public private(set) var answered: Set<Int> = []
    /// Every question closed, oldest first, for `--log` (see `takeRecords`).
    public private(set) var records: [AnswerRecord] = []
    /// The lesson's name in the records (`01`).
    public var lessonName = ""
    /// Seconds, for how long a question took; a test can set its own.
    public var clock: @Sendable () -> Double = QuestionClock.now
    /// A question whose cells the student is picking on the frame (its box hidden meanwhile).
    public internal(set) var picking: QuestionSession?
    /// In practice, the steps the student produces: reaching the last step shows the score.
    public var practiceSteps: [Int]?
    private var scoreShown = false
    private var recordsTaken = 0
    /// What the last key did not do, said on the status line until the next key.
    public internal(set) var notice: Notice?
    /// The terminal's size, which the front end keeps up to date: keys that change the view
    /// compare the frames the source draws at this size to tell whether anything changed.
    public var terminalSize = Size(width: 80, height: 24)

    public init(source: any FrameSource, settings: PlayerSettings, live: (any LiveSettings)? = nil) {
        self.source = source
        self.live = live
        self.step = Self.clamp(settings.startStep, count: source.stepCount)
        self.playing = settings.autoplay && source.stepCount > 1
        self.stepsPerSecond = settings.stepsPerSecond.isFinite && settings.stepsPerSecond > 0
            ? min(max(settings.stepsPerSecond, Self.speedLadder.first!), Self.speedLadder.last!)
            : 2
        self.options = settings.options
    }

    public var lastStep: Int { max(0, source.stepCount - 1) }

    /// Seconds between two steps during playback.
    public var stepInterval: Double { 1 / stepsPerSecond }
    /// How long autoplay keeps the step on screen: longer on a new phase, on the lesson's
    /// narration and on a question's answer, as a recording does.
    public var holdInterval: Double { stepInterval * source.emphasis(ofStep: step).holdFactor }

    /// Where the `g` prompt stops accepting digits: enough for any step number.
    var maximumDigits: Int { String(max(1, source.stepCount)).count }

    public mutating func handle(key: Key) -> Effect {
        notice = nil
        switch overlay {
        case .help:
            if key == .character("q") { return .quit }
            overlay = .none
            return .redraw
        case .question(var session):
            // ↓ picks the cells of the answer on the frame, with the inspector's cursor.
            if key == .down, session.asksForCells { return startPicking(session) }
            switch session.handle(key: key) {
            case .quit: return .quit
            case .stay: overlay = .question(session)
            case .later: overlay = .none
            case .proceed:
                overlay = .none
                answered.insert(session.step)
                if session.isCheckable { records.append(session.record(lesson: lessonName, now: clock())) }
                step = session.step
                arrived()
            }
            return .redraw
        case .score:
            if key == .character("q") { return .quit }
            overlay = .none
            return .redraw
        case .goTo(let digits):
            return handlePrompt(key: key, digits: digits)
        case .none:
            if picking != nil { return handlePicking(key: key) }
            return handleMain(key: key)
        }
    }

    /// Timed playback: one step forward. Stops at the last step and before a question.
    @discardableResult
    public mutating func tick() -> Effect {
        guard playing, overlay == .none else { return .none }
        if step >= lastStep {
            playing = false
            return .redraw
        }
        moveForward(to: step + 1)
        if step >= lastStep { playing = false }
        return .redraw
    }

    private mutating func handleMain(key: Key) -> Effect {
        // The inspector's keys and free play's live keys first; the rest mean what they always do.
        if let effect = handleInspector(key: key) ?? handleLive(key: key) { return effect }
        switch key {
        case .character(" "):
            if playing {
                playing = false
            } else {
                guard source.stepCount > 1 else { return refuse(.onlyOneStep) }
                // Play at the end starts over, as a teacher replaying the lesson expects.
                if step >= lastStep { step = 0 }
                playing = true
            }
            return .redraw
        case .right, .character("l"):
            guard step < lastStep else { return refuse(.atLastStep) }
            moveForward(to: step + 1)
        case .left, .character("h"):
            guard step > 0 else { return refuse(.atFirstStep) }
            step -= 1
        case .character("]"), .down:
            // Past the last phase's start, `]` goes to the last step.
            let next = source.phases.map(\.firstStep).filter { $0 > step }.min() ?? lastStep
            let target = Self.clamp(next, count: source.stepCount)
            guard target > step else { return refuse(.atLastStep) }
            moveForward(to: target)
        case .character("["), .up:
            // From inside a phase, `[` goes to that phase's start; from its start, to the
            // previous one (the way a "previous track" button works).
            let previous = source.phases.map(\.firstStep).filter { $0 < step }.max() ?? 0
            guard step > 0 else { return refuse(.atFirstStep) }
            step = Self.clamp(previous, count: source.stepCount)
        case .pageDown:
            return scrollNarrationDown()
        case .pageUp:
            return scrollNarrationUp()
        case .character("+"), .character("="):
            guard let faster = Self.speedLadder.first(where: { $0 > stepsPerSecond }) else {
                return refuse(.fastest(stepsPerSecond))
            }
            stepsPerSecond = faster
        case .character("-"), .character("_"):
            guard let slower = Self.speedLadder.last(where: { $0 < stepsPerSecond }) else {
                return refuse(.slowest(stepsPerSecond))
            }
            stepsPerSecond = slower
        case .character("g"):
            playing = false
            overlay = .goTo("")
        case .home:
            guard step > 0 else { return refuse(.atFirstStep) }
            step = 0
        case .end:
            guard step < lastStep else { return refuse(.atLastStep) }
            moveForward(to: lastStep)
        case .character("v"):
            // The view changes either way; where it draws the same frame, the status says so,
            // or the key would seem to do nothing.
            let before = frame()
            options.symbols.toggle()
            if let before, before == frame() { notice = .sameInBothViews(symbols: options.symbols) }
        case .character("c"):
            let before = frame()
            options.showCode.toggle()
            if let before, before == frame() { notice = .codePaneChangesNothing(shown: options.showCode) }
        case .character("b"):
            // The next page of blocks of a reshape or transpose, back to the first after the last.
            guard let page = frame()?.blocks else { return refuse(.everyBlockShown) }
            options.blockPage = page.first + page.shown >= page.total ? 0 : options.blockPage + 1
        case .character("m"):
            options.showLegend.toggle()
        case .character("L"):
            options.language = options.language == .en ? .ja : .en
            // Another language is another text, with lines of its own.
            options.narrationOffset = 0
        case .character("?"):
            overlay = .help
        case .character("q"):
            return .quit
        case .redraw:
            return .repaint
        default:
            return refuse(.unknownKey(Self.name(of: key)))
        }
        return .redraw
    }

    /// A key that changes nothing: the bell, and the status line says why.
    mutating func refuse(_ why: Notice) -> Effect {
        notice = why
        return .bell
    }

    /// The frame on screen now, or drawn with `change` made to the options; nil while the
    /// terminal is too small for frames.
    func frame(_ change: (inout ViewOptions) -> Void = { _ in }) -> Frame? {
        guard Screen.fits(source, in: terminalSize) else { return nil }
        var changed = options
        change(&changed)
        return source.frame(at: step, size: Screen.sourceArea(of: terminalSize), options: changed)
    }

    /// The narration window of the frame on screen. The frame clamps the offset (a resize or
    /// another view can move the last page) and says how many lines it shows, so the model keeps
    /// the offset on screen and pages by what is shown, never skipping a line. Nil while the
    /// terminal is too small; a window of nothing where the step has no narration.
    private mutating func narrationOnScreen() -> NarrationWindow? {
        guard let frame = frame() else { return nil }
        let window = frame.narration ?? NarrationWindow(first: 0, shown: 0, total: 0)
        options.narrationOffset = window.first
        return window
    }

    private mutating func scrollNarrationDown() -> Effect {
        guard let window = narrationOnScreen() else { return .redraw }
        guard window.moreBelow else { return refuse(window.first == 0 ? .narrationAllShown : .narrationAtEnd) }
        options.narrationOffset = window.first + max(1, window.shown)
        _ = narrationOnScreen()
        return .redraw
    }

    private mutating func scrollNarrationUp() -> Effect {
        guard let window = narrationOnScreen() else { return .redraw }
        guard window.first > 0 else {
            return refuse(window.moreBelow ? .narrationAtTop : .narrationAllShown)
        }
        options.narrationOffset = max(0, window.first - max(1, window.shown))
        _ = narrationOnScreen()
        return .redraw
    }

    /// How the status line names a key the player has no use for.
    static func name(of key: Key) -> String {
        switch key {
        case .character(let c): return String(c)
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .left: return "Left"
        case .right: return "Right"
        case .up: return "Up"
        case .down: return "Down"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .redraw: return "Ctrl-L"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .click: return "click"
        }
    }

    private mutating func handlePrompt(key: Key, digits: String) -> Effect {
        switch key {
        case .character(let c) where c.isASCII && c.isNumber:
            guard digits.count < maximumDigits else { return refuse(.stepNumbersOnly(source.stepCount)) }
            overlay = .goTo(digits + String(c))
        case .backspace:
            if digits.isEmpty {
                overlay = .none
            } else {
                overlay = .goTo(String(digits.dropLast()))
            }
        case .escape:
            overlay = .none
        case .enter:
            overlay = .none
            guard let number = Int(digits) else { return .redraw }
            // Going to the last step instead would look as if the number had been taken.
            guard (1...max(1, source.stepCount)).contains(number) else {
                return refuse(.noSuchStep(number, count: source.stepCount))
            }
            let target = Self.clamp(number - 1, count: source.stepCount)
            if target == step {
                notice = .alreadyAtStep(step + 1)
            } else if target > step {
                moveForward(to: target)
            } else {
                step = target
            }
        case .redraw:
            return .repaint
        default:
            return refuse(.stepNumbersOnly(source.stepCount))
        }
        return .redraw
    }

    /// Moving forward onto a step that asks a question stops there and asks it first.
    private mutating func moveForward(to target: Int) {
        if !answered.contains(target),
           let asked = source.asked(before: target, language: options.languageShown),
           !asked.prompt.isEmpty {
            playing = false
            overlay = .question(QuestionSession(step: target, question: asked, askedAt: clock()))
        } else {
            step = target
            arrived()
        }
    }

    /// At the last step of a practice, the score, once.
    private mutating func arrived() {
        guard let practiceSteps, step >= lastStep, !scoreShown else { return }
        scoreShown = true
        playing = false
        overlay = .score(PracticeScore(practiceSteps: practiceSteps, records: records))
    }

    /// The records closed since the last call, for the log.
    public mutating func takeRecords() -> [AnswerRecord] {
        defer { recordsTaken = records.count }
        return Array(records[min(recordsTaken, records.count)...])
    }

    static func clamp(_ step: Int, count: Int) -> Int {
        min(max(0, step), max(0, count - 1))
    }
}
