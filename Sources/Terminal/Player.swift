#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw
import Foundation
import Storyboard

/// How the player starts.
public struct PlayerSettings: Sendable {
    public var options: ViewOptions
    /// Playback speed; `+` and `-` move along `PlayerModel.speedLadder` from here.
    public var stepsPerSecond: Double
    /// The 0-based step shown first.
    public var startStep: Int
    /// Start playing at once instead of paused.
    public var autoplay: Bool
    /// Where answers are appended (`--log`), and the lesson's name in them.
    public var log: AnswerLogFile?
    public var lessonName = ""
    /// In practice, the steps the student produces (the score is shown at the end).
    public var practiceSteps: [Int]?

    public init(options: ViewOptions = ViewOptions(), stepsPerSecond: Double = 2, startStep: Int = 0,
                autoplay: Bool = false) {
        self.options = options
        self.stepsPerSecond = stepsPerSecond
        self.startStep = startStep
        self.autoplay = autoplay
    }
}

/// The full-screen terminal player.
public enum Player {
    /// nil when curses can start here; otherwise the one sentence saying why not (stdin or
    /// stdout not a terminal, TERM unset, TERM unknown to terminfo, TERM=dumb), without a
    /// final full stop so that a caller can go on with what it does instead.
    public static func problemStarting(environment: [String: String]) -> String? {
        if isatty(0) == 0 {
            return "stdin is not a terminal, so the player cannot read keys"
        }
        if isatty(1) == 0 {
            return "stdout is not a terminal, so the player will not draw into it"
        }
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb",
              tatami_terminfo_status(term, 1) == 1 else {
            return unusableTerm(environment["TERM"])
        }
        return nil
    }

    static func unusableTerm(_ term: String?) -> String {
        guard let term, !term.isEmpty else {
            return "TERM is not set, so the player cannot tell how to drive this terminal "
                + "(set it, e.g. TERM=xterm-256color)"
        }
        if term == "dumb" {
            return "TERM=dumb cannot move the cursor, so the player cannot run here"
        }
        return "TERM=\(term) is not a terminal type terminfo can drive full-screen "
            + "(set TERM to one it knows, e.g. xterm-256color)"
    }

    /// What `run` writes to stderr when it cannot start.
    static func cannotStart(_ reason: String) -> String {
        "tatami: \(reason); use `tatami render` for plain text."
    }

    /// Plays until the user quits or a signal arrives; restores the terminal; returns the
    /// process exit code (0 after `q`, 128 + the signal's number after a signal, 1 when the
    /// player could not start, with the reason on stderr).
    /// `live`, in free play, changes the layer's settings from the keyboard while playing.
    public static func run(_ source: any FrameSource, settings: PlayerSettings, live: (any LiveSettings)? = nil) -> Int32 {
        setlocale(LC_ALL, "")
        let environment = ProcessInfo.processInfo.environment
        if let problem = problemStarting(environment: environment) {
            writeError(cannotStart(problem))
            return 1
        }
        let signals = StopSignals.install()
        defer { signals.restore() }
        let terminal: CursesTerminal
        switch CursesTerminal.start(environment: environment) {
        case .success(let started): terminal = started
        case .failure(let failure):
            writeError(cannotStart(failure.message))
            return 1
        }
        defer { terminal.end() }
        CrashGuard.install()
        defer { CrashGuard.remove() }
        var settings = settings
        // A locale that cannot encode box drawing or Japanese gets ASCII, whatever was asked.
        if tatami_locale_is_utf8() == 0 {
            settings.options.asciiOnly = true
            settings.options.keepsJapanese = false
        }
        var model = PlayerModel(source: source, settings: settings, live: live)
        model.lessonName = settings.lessonName
        model.practiceSteps = settings.practiceSteps
        var loop = PlayLoop(terminal: terminal, model: model, log: settings.log)
        return loop.run()
    }

    static func writeError(_ message: String) {
        let line = message + "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}

/// The input loop: waits for keys with a timeout so that playback ticks and arrived signals
/// are noticed without spinning.
struct PlayLoop {
    let terminal: CursesTerminal
    var model: PlayerModel
    let log: AnswerLogFile?
    private let clock = ContinuousClock()
    /// When the next playback step is due; nil while paused.
    private var nextStep: ContinuousClock.Instant?

    /// The longest wait for a key: also the longest a signal can go unnoticed if it did not
    /// interrupt the wait itself.
    static let idleWait = Duration.milliseconds(200)

    init(terminal: CursesTerminal, model: PlayerModel, log: AnswerLogFile? = nil) {
        self.terminal = terminal
        self.model = model
        self.log = log
    }

    mutating func run() -> Int32 {
        var dirty = true
        var full = true
        while true {
            if let signal = StopSignals.pending { return 128 + signal }
            if dirty {
                terminal.draw(Screen.compose(model, size: terminal.size), full: full)
                dirty = false
                full = false
            }
            let event = terminal.read(timeout: waitMilliseconds())
            let speedBefore = model.stepsPerSecond
            switch event {
            case .gone:
                return 129
            case .resize:
                dirty = true
                full = true
            case .idle:
                break
            case .key(let key):
                // Keys that change the view compare frames at the size they are drawn at.
                model.terminalSize = terminal.size
                let effect = model.handle(key: key)
                for record in model.takeRecords() { log?.append(record) }
                switch effect {
                case .quit: return 0
                case .none: break
                case .bell:
                    // The status line says why the key changed nothing.
                    beep()
                    dirty = true
                case .redraw: dirty = true
                case .repaint:
                    dirty = true
                    full = true
                }
            }
            if model.stepsPerSecond != speedBefore { nextStep = nil }
            if advancePlayback() { dirty = true }
        }
    }

    /// Runs the playback ticks that are due; true when the screen changed.
    private mutating func advancePlayback() -> Bool {
        guard model.playing else {
            nextStep = nil
            return false
        }
        let now = clock.now
        guard let due = nextStep else {
            nextStep = now + .seconds(model.holdInterval)
            return false
        }
        guard now >= due else { return false }
        let changed = model.tick() != .none
        let interval = Duration.seconds(model.holdInterval)
        // After a stall (a suspended process, a slow frame) continue from now rather than
        // racing through the missed steps.
        nextStep = now - due > interval ? now + interval : due + interval
        return changed
    }

    private func waitMilliseconds() -> Int {
        var wait = Self.idleWait
        if let due = nextStep {
            wait = min(wait, max(.zero, due - clock.now))
        }
        let (seconds, attoseconds) = wait.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
