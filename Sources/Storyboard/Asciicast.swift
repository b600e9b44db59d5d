import Trace
import Lessons

/// An asciicast v2 recording of frames: the format asciinema and its web player read.
///
/// The document is a JSON header line and then one `[time, "o", text]` line per chunk of
/// terminal output. The first frame clears the screen and draws everything; each later frame
/// writes only the stretches of its rows that differ from the frame before (`Frame.changedRuns`,
/// the diff the curses player uses), so a replay ends on exactly the last frame. Colours come
/// from `RoleStyle`'s table through `TextRenderer.sgr(_:bold:)`, so a recording looks like
/// `render --color always` and the player.
///
/// Building one is pure: no clock, no files. Leave `timestamp` out for output that depends
/// only on the frames.
public struct Asciicast: Sendable {
    /// The first line of the document.
    public struct Header: Sendable, Equatable {
        /// The screen size the recording is played at, in columns and rows.
        public var width: Int
        public var height: Int
        public var title: String?
        /// Seconds since 1970 when the recording was made; nil leaves it out.
        public var timestamp: Int?
        /// The `SHELL` the header's `env` names; players show it, nothing runs it.
        public var shell: String

        public init(width: Int, height: Int, title: String? = nil, timestamp: Int? = nil, shell: String = "/bin/sh") {
            self.width = width
            self.height = height
            self.title = title
            self.timestamp = timestamp
            self.shell = shell
        }
    }

    public let header: Header
    /// Event lines so far, each ending in a newline.
    private var events = ""
    /// Time of the next frame, in microseconds: whole numbers keep the times exactly
    /// non-decreasing however many holds are added.
    private var clock: Int64 = 0
    /// What the screen shows now, fitted to the header's size; nil before the first frame.
    private var screen: Frame?

    /// The longest a single frame may be held, so that absurd holds cannot overflow the clock.
    public static let maximumHold = 86_400.0

    /// An empty recording; sizes below one cell are raised to one.
    public init(header: Header) {
        var header = header
        header.width = max(1, header.width)
        header.height = max(1, header.height)
        self.header = header
    }

    /// Adds a frame shown for `seconds` (negative and NaN holds count as zero, and holds are
    /// capped at `maximumHold`). Parts of the frame outside the header's size are not
    /// drawn; parts of the screen the frame does not reach are blank.
    public mutating func append(_ frame: Frame, holding seconds: Double) {
        let size = Size(width: header.width, height: header.height)
        let shown = Self.fitted(frame, to: size)
        var chunk = ""
        if screen == nil {
            // Hide the cursor (a block over the picture distracts), reset colours, clear.
            chunk = "\u{1B}[?25l\u{1B}[0m\u{1B}[2J\u{1B}[H"
        }
        chunk += Self.redraw(shown, over: screen ?? Frame(size: size))
        screen = shown
        if !chunk.isEmpty { emit(chunk) }
        clock += Self.microseconds(seconds)
    }

    /// The whole document: the header line, then the events. After the last frame's hold a
    /// final event that changes nothing on screen keeps that frame up until the end.
    public var document: String {
        var text = headerLine + "\n" + events
        if screen != nil {
            text += "[\(Self.seconds(clock)), \"o\", \(Self.jsonString("\u{1B}[0m"))]\n"
        }
        return text
    }

    /// The length of the recording so far, in seconds.
    public var duration: Double { Double(clock) / 1_000_000 }

    private var headerLine: String {
        var fields = ["\"version\": 2", "\"width\": \(header.width)", "\"height\": \(header.height)"]
        if let timestamp = header.timestamp { fields.append("\"timestamp\": \(timestamp)") }
        if let title = header.title { fields.append("\"title\": \(Self.jsonString(title))") }
        fields.append("\"env\": {\"TERM\": \"xterm-256color\", \"SHELL\": \(Self.jsonString(header.shell))}")
        return "{" + fields.joined(separator: ", ") + "}"
    }

    private mutating func emit(_ chunk: String) {
        events += "[\(Self.seconds(clock)), \"o\", \(Self.jsonString(chunk))]\n"
    }

    // MARK: Drawing

    /// The output that turns a screen showing `old` into `new` (both of the screen's size):
    /// for each stretch that changed, the cursor moved to its first cell and its cells written,
    /// except that where the new row is blank from some column on, one erase to the end of the
    /// line stands for the blanks. Empty when nothing differs.
    static func redraw(_ new: Frame, over old: Frame) -> String {
        var out = ""
        var erased = -1
        for run in new.changedRuns(from: old, joiningGaps: joiningGaps) where run.row != erased {
            let row = run.row
            // Everything after `end` is blank in the new row.
            var end = new.size.width - 1
            while end >= 0, isBlank(new[row, end]) { end -= 1 }
            out += "\u{1B}[\(row + 1);\(run.columns.lowerBound + 1)H"
            var style = ""
            let last = run.columns.upperBound - 1
            if run.columns.lowerBound <= min(last, end) {
                for x in run.columns.lowerBound...min(last, end) {
                    let cell = new[row, x]
                    if cell.isContinuation { continue }
                    let sgr = TextRenderer.sgr(cell.role, bold: cell.bold)
                    if sgr != style {
                        out += "\u{1B}[0m" + (sgr.isEmpty ? "" : "\u{1B}[\(sgr)m")
                        style = sgr
                    }
                    out.append(cell.character)
                }
            }
            if !style.isEmpty { out += "\u{1B}[0m" }
            // An erase fills with the current background, hence after the reset; it clears every
            // later stretch of the row too.
            if last > end {
                out += "\u{1B}[K"
                erased = row
            }
        }
        return out
    }

    /// Unchanged cells between two changed stretches of a row that are rewritten rather than
    /// skipped with a cursor move: a move (`ESC[12;34H`) costs about as many bytes.
    static let joiningGaps = 8

    /// Blank as far as the screen is concerned: a space with no colour or attribute.
    static func isBlank(_ cell: Cell) -> Bool {
        cell.isSpace && TextRenderer.sgr(cell.role, bold: cell.bold).isEmpty
    }

    /// `frame` as a terminal of `size` can show it: clipped or padded with blanks to the size,
    /// and anything a terminal could not show in one cell (a control character, a combining
    /// mark on its own, a lone continuation, a double-width character without its right half
    /// or without room for it) a space in the same style, so that the cursor never drifts from
    /// the column the recording believes it is at.
    static func fitted(_ frame: Frame, to size: Size) -> Frame {
        var shown = Frame(size: size)
        let rows = min(size.height, frame.size.height)
        let columns = min(size.width, frame.size.width)
        for row in 0..<max(0, rows) {
            var x = 0
            while x < columns {
                let cell = frame[row, x]
                let cellWidth = cell.isContinuation ? 0 : DisplayWidth.of(cell.character)
                if cellWidth == 2, x + 1 < columns, frame[row, x + 1].isContinuation {
                    shown[row, x] = cell
                    shown[row, x + 1] = .continuation
                    x += 2
                } else {
                    shown[row, x] = cellWidth == 1 ? cell : Cell(" ", role: cell.role, bold: cell.bold)
                    x += 1
                }
            }
        }
        return shown
    }

    // MARK: JSON

    /// `text` as a JSON string literal (the trace's JSON writer, shared).
    public static func jsonString(_ text: String) -> String { JSON.string(text) }

    static func microseconds(_ seconds: Double) -> Int64 {
        guard !seconds.isNaN, seconds > 0 else { return 0 }
        return Int64((min(seconds, maximumHold) * 1_000_000).rounded())
    }

    /// Microseconds as a JSON number of seconds, with no more digits than it needs.
    static func seconds(_ microseconds: Int64) -> String {
        let whole = microseconds / 1_000_000
        var fraction = String(microseconds % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.count > 1, fraction.last == "0" { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}

/// How long a step deserves on screen, by what it brings that a viewer must read.
public enum StepEmphasis: Sendable, Equatable, Comparable {
    /// An ordinary step of a phase.
    case step
    /// The lesson narrates this very step.
    case narration
    /// The first step of a phase: a new picture, a new code line, a new narration.
    case phaseChange
    /// The frame shows the answer of a lesson's question.
    case question

    /// How many step times such a step stays on screen, in a recording and in autoplay.
    public var holdFactor: Double {
        switch self {
        case .step: return 1
        case .narration, .phaseChange: return 3
        case .question: return 5
        }
    }
}

extension Storyboard {
    /// What step `step` brings (the weightiest when it brings several); `.step` outside the
    /// lesson.
    public func emphasis(ofStep step: Int) -> StepEmphasis {
        guard let (phase, within) = locate(step) else { return .step }
        if questionAnswered(at: step) != nil { return .question }
        if phases.contains(where: { $0.firstStep == step }) { return .phaseChange }
        if script.note(for: ref(phase), step: within) != nil { return .narration }
        return .step
    }
}
