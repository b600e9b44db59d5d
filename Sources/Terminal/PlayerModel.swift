import Storyboard

/// A key press as the player understands it, independent of how curses reported it.
public enum Key: Equatable, Sendable {
    case character(Character)
    case left, right, up, down, home, end, pageUp, pageDown
    case enter, escape, backspace
    /// Ctrl-L: the screen may be garbled by something outside the player.
    case redraw
}

/// What the front end must do after the model handled a key or a tick.
public enum Effect: Equatable, Sendable {
    /// Nothing visible changed.
    case none
    /// Compose and draw the screen again (the diff keeps this cheap).
    case redraw
    /// Throw away what is on the terminal and paint everything again.
    case repaint
    /// The key means nothing here; ring the bell instead of silently ignoring it.
    case bell
    case quit
}

/// What covers the frame, if anything.
public enum Overlay: Equatable, Sendable {
    case none
    case help
    /// The go-to-step prompt and the digits typed so far.
    case goTo(String)
    /// A question asked before `step`; the next key reveals that step.
    case question(text: String, step: Int)
}

/// The player's state and every key's meaning, with no terminal attached: the curses front
/// end only translates keys in and frames out, so that all behaviour can be tested here.
public struct PlayerModel: Sendable {
    /// Playback speeds `+` and `-` move along, in steps per second.
    public static let speedLadder: [Double] = [0.5, 1, 2, 4, 8, 16]

    public let source: any FrameSource
    /// The step on screen, 0-based.
    public private(set) var step: Int
    public private(set) var playing: Bool
    public private(set) var stepsPerSecond: Double
    public private(set) var options: ViewOptions
    public private(set) var overlay: Overlay = .none
    /// Steps whose question has been asked and answered: moving back and forth over them
    /// does not ask again.
    public private(set) var answered: Set<Int> = []

    public init(source: any FrameSource, settings: PlayerSettings) {
        self.source = source
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

    /// Where the `g` prompt stops accepting digits: enough for any step number.
    var maximumDigits: Int { String(max(1, source.stepCount)).count }

    public mutating func handle(key: Key) -> Effect {
        switch overlay {
        case .help:
            if key == .character("q") { return .quit }
            overlay = .none
            return .redraw
        case .question(_, let target):
            if key == .character("q") { return .quit }
            overlay = .none
            answered.insert(target)
            step = target
            return .redraw
        case .goTo(let digits):
            return handlePrompt(key: key, digits: digits)
        case .none:
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
        switch key {
        case .character(" "):
            if playing {
                playing = false
            } else {
                guard source.stepCount > 1 else { return .bell }
                // Play at the end starts over, as a teacher replaying the lesson expects.
                if step >= lastStep { step = 0 }
                playing = true
            }
            return .redraw
        case .right, .character("l"):
            guard step < lastStep else { return .bell }
            moveForward(to: step + 1)
        case .left, .character("h"):
            guard step > 0 else { return .bell }
            step -= 1
        case .character("]"), .pageDown, .down:
            // Past the last phase's start, `]` goes to the last step.
            let next = source.phases.map(\.firstStep).filter { $0 > step }.min() ?? lastStep
            let target = Self.clamp(next, count: source.stepCount)
            guard target > step else { return .bell }
            moveForward(to: target)
        case .character("["), .pageUp, .up:
            // From inside a phase, `[` goes to that phase's start; from its start, to the
            // previous one (the way a "previous track" button works).
            let previous = source.phases.map(\.firstStep).filter { $0 < step }.max() ?? 0
            guard step > 0 else { return .bell }
            step = Self.clamp(previous, count: source.stepCount)
        case .character("+"), .character("="):
            guard let faster = Self.speedLadder.first(where: { $0 > stepsPerSecond }) else { return .bell }
            stepsPerSecond = faster
        case .character("-"), .character("_"):
            guard let slower = Self.speedLadder.last(where: { $0 < stepsPerSecond }) else { return .bell }
            stepsPerSecond = slower
        case .character("g"):
            playing = false
            overlay = .goTo("")
        case .home:
            guard step > 0 else { return .bell }
            step = 0
        case .end:
            guard step < lastStep else { return .bell }
            moveForward(to: lastStep)
        case .character("v"):
            options.symbols.toggle()
        case .character("c"):
            options.showCode.toggle()
        case .character("L"):
            options.language = options.language == .en ? .ja : .en
        case .character("?"):
            overlay = .help
        case .character("q"):
            return .quit
        case .redraw:
            return .repaint
        default:
            return .bell
        }
        return .redraw
    }

    private mutating func handlePrompt(key: Key, digits: String) -> Effect {
        switch key {
        case .character(let c) where c.isASCII && c.isNumber:
            guard digits.count < maximumDigits else { return .bell }
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
            let target = Self.clamp(number - 1, count: source.stepCount)
            if target > step {
                moveForward(to: target)
            } else {
                step = target
            }
        case .redraw:
            return .repaint
        default:
            return .bell
        }
        return .redraw
    }

    /// Moving forward onto a step that asks a question stops there and asks it first.
    private mutating func moveForward(to target: Int) {
        if !answered.contains(target),
           let text = source.question(before: target, language: options.language),
           !text.isEmpty {
            playing = false
            overlay = .question(text: text, step: target)
        } else {
            step = target
        }
    }

    private static func clamp(_ step: Int, count: Int) -> Int {
        min(max(0, step), max(0, count - 1))
    }
}
