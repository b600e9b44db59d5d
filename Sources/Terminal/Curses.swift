#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw
import Storyboard

/// What one wait for input produced.
enum InputEvent: Equatable {
    case key(Key)
    case resize
    /// The wait ended without input: time for a playback tick or a signal check.
    case idle
    /// The terminal is gone (hang-up, end of input): there is nobody left to draw for.
    case gone
}

/// The only code that talks to ncurses: starts and ends the screen, draws frames by
/// writing only the cells that changed, and turns curses' input into `InputEvent`s.
final class CursesTerminal {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    /// The whole screen as last drawn; the next draw writes only the difference.
    private var last: Frame?
    private let utf8: Bool
    /// Curses attributes per `Role.rawValue` × 2 + bold, and colour pairs per `Role.rawValue`:
    /// `CursesLook` read once.
    private var roleAttributes: [attr_t] = []
    private var rolePairs: [Int16] = []
    private var quickErrors = 0
    private var ended = false

    /// Starts curses on stdin/stdout, or returns the sentence saying why it could not.
    static func start(environment: [String: String]) -> Result<CursesTerminal, StartFailure> {
        // newterm, unlike initscr, returns nil on an unusable TERM instead of exiting.
        guard let screen = newterm(nil, tatami_stdout(), tatami_stdin()) else {
            return .failure(StartFailure(message: Player.unusableTerm(environment["TERM"])))
        }
        guard let window = tatami_stdscr() else {
            endwin()
            delscreen(screen)
            return .failure(StartFailure(message: "curses started but gave no screen to draw on"))
        }
        let colourWanted = (environment["NO_COLOR"] ?? "").isEmpty
        return .success(CursesTerminal(screen: screen, window: window, colourWanted: colourWanted))
    }

    struct StartFailure: Error {
        let message: String
    }

    private init(screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, colourWanted: Bool) {
        self.screen = screen
        self.window = window
        self.utf8 = tatami_locale_is_utf8() != 0
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        // Esc closes the prompt; curses' default of a second's wait for a following byte
        // would make that feel broken.
        set_escdelay(25)
        curs_set(0)
        leaveok(window, true)
        setUpStyles(colour: colourWanted && has_colors())
    }

    private func setUpStyles(colour: Bool) {
        var curses: [Attributes: attr_t] = [:]
        func bits(_ a: Attributes) -> attr_t {
            if let known = curses[a] { return known }
            var value = tatami_a_normal()
            if a.contains(.bold) { value |= tatami_a_bold() }
            if a.contains(.reverse) { value |= tatami_a_reverse() }
            if a.contains(.underline) { value |= tatami_a_underline() }
            if a.contains(.dim) { value |= tatami_a_dim() }
            curses[a] = value
            return value
        }
        // COLORS and COLOR_PAIRS are only known once start_color has run.
        var colourWorks = colour && start_color() == OK && tatami_colors() >= 8
            && tatami_color_pairs() > Role.allCases.count
        let defaults = colourWorks && use_default_colors() == OK
        if colourWorks {
            for role in Role.allCases {
                let look = CursesLook.of(role, defaultColours: defaults)
                if init_pair(CursesLook.pair(role), look.foreground, look.background) != OK { colourWorks = false }
            }
        }
        rolePairs = Role.allCases.map { colourWorks ? CursesLook.pair($0) : 0 }
        roleAttributes = Role.allCases.flatMap { role in
            [false, true].map { bold in
                bits(CursesLook.of(role, bold: bold, colour: colourWorks, defaultColours: defaults).attributes)
            }
        }
    }

    /// The terminal's size as curses knows it (updated by curses on `KEY_RESIZE`).
    var size: Size {
        Size(width: Int(getmaxx(window)), height: Int(getmaxy(window)))
    }

    /// Draws `frame`, writing only the cells that differ from the last one unless `full`.
    func draw(_ frame: Frame, full: Bool) {
        let previous = full || last?.size != frame.size ? nil : last
        if previous == nil {
            werase(window)
            // Whatever the terminal shows now (after a resize, a suspend, a stray write) is
            // unknown: have curses repaint every cell, not just the ones it thinks changed.
            clearok(window, true)
        }
        for run in frame.changedRuns(from: previous) {
            for column in run.columns {
                put(frame[run.row, column], row: run.row, column: column)
            }
        }
        last = frame
        wnoutrefresh(window)
        doupdate()
    }

    /// Forgets what is on screen, so that the next draw repaints everything.
    func invalidate() {
        last = nil
    }

    private func put(_ cell: Cell, row: Int, column: Int) {
        var character = cell.character
        if cell.isContinuation {
            // The wide character to its left covers it; only without UTF-8, where that
            // character became a single `?`, is there a column left to fill.
            guard !utf8 else { return }
            character = " "
        }
        var scalars = Array(character.unicodeScalars.prefix(4))
        if scalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) {
            scalars = [" "]
        } else if !utf8, scalars.contains(where: { !$0.isASCII }) {
            // A locale that cannot encode the character would print bytes, not text; the
            // typography of frames has ASCII look-alikes, everything else (Japanese) has none.
            scalars = Array(Frame.asciiLookAlike(character).unicodeScalars.prefix(1))
        }
        let role = Int(cell.role.rawValue)
        let attributes = roleAttributes[role * 2 + (cell.bold ? 1 : 0)]
        var wide = scalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        var cc = cchar_t()
        setcchar(&cc, wide, attributes, rolePairs[role], nil)
        // Errors are expected and harmless at the bottom-right corner, where the cursor
        // cannot advance; anywhere else the frame and curses agree on the size.
        wmove(window, Int32(row), Int32(column))
        wadd_wch(window, &cc)
    }

    /// Waits up to `milliseconds` for a key.
    func read(timeout milliseconds: Int) -> InputEvent {
        wtimeout(window, Int32(max(0, milliseconds)))
        var code: wint_t = 0
        let started = monotonicMilliseconds()
        let status = wget_wch(window, &code)
        if status == OK {
            quickErrors = 0
            return Self.event(character: UInt32(code))
        }
        if status == tatami_key_code_yes() {
            quickErrors = 0
            return Self.event(keyCode: Int32(code))
        }
        if terminalHungUp() { return .gone }
        // An error that comes back long before the timeout, again and again, is a read that
        // fails at once (end of input): returning .idle would spin.
        if milliseconds > 0, monotonicMilliseconds() - started < milliseconds / 4 {
            quickErrors += 1
            if quickErrors >= 20 { return .gone }
        } else {
            quickErrors = 0
        }
        return .idle
    }

    static func event(character code: UInt32) -> InputEvent {
        switch code {
        case 27: return .key(.escape)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 12: return .key(.redraw)
        // Tab shows a question's answer.
        case 9: return .key(.character("\t"))
        default:
            guard let scalar = Unicode.Scalar(code), code >= 0x20 else { return .idle }
            return .key(.character(Character(scalar)))
        }
    }

    static func event(keyCode code: Int32) -> InputEvent {
        switch code {
        case tatami_key_resize(): return .resize
        case tatami_key_left(): return .key(.left)
        case tatami_key_right(): return .key(.right)
        case tatami_key_up(): return .key(.up)
        case tatami_key_down(): return .key(.down)
        case tatami_key_home(): return .key(.home)
        case tatami_key_end(): return .key(.end)
        case tatami_key_ppage(): return .key(.pageUp)
        case tatami_key_npage(): return .key(.pageDown)
        case tatami_key_backspace(): return .key(.backspace)
        case tatami_key_enter(): return .key(.enter)
        default: return .idle
        }
    }

    private func terminalHungUp() -> Bool {
        var probe = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&probe, 1, 0) >= 0 else { return false }
        return probe.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    private func monotonicMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
    }

    /// Restores the terminal: leaves the alternate screen and the program's tty modes.
    /// Safe to call more than once.
    func end() {
        guard !ended else { return }
        ended = true
        curs_set(1)
        endwin()
        delscreen(screen)
    }

    deinit {
        end()
    }
}
