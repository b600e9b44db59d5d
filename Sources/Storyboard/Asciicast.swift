import Trace
import Lessons

/// An asciicast v2 recording of frames: the format asciinema and its web player read.
///
/// The document is a JSON header line and then one `[time, "o", text]` line per chunk of
/// terminal output. The first frame clears the screen and draws everything; each later frame
/// writes only the stretches of its rows that differ from the frame before, so a replay ends on
/// exactly the last frame. Colours are `TextRenderer.sgr(_:)`'s, so a recording looks like
/// `render --color always`.
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
    /// What the screen shows now, row by row; nil before the first frame.
    private var screen: [[Glyph]]?

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
        let rows = (0..<header.height).map { Glyph.row(of: frame, row: $0, width: header.width) }
        var chunk = ""
        let before: [[Glyph]]
        if let screen {
            before = screen
        } else {
            // Hide the cursor (a block over the picture distracts), reset colours, clear.
            chunk = "\u{1B}[?25l\u{1B}[0m\u{1B}[2J\u{1B}[H"
            before = Array(repeating: Array(repeating: Glyph.blank, count: header.width), count: header.height)
        }
        for row in 0..<header.height {
            chunk += Self.redraw(row: row, from: before[row], to: rows[row])
        }
        screen = rows
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

    /// The output that turns screen row `row` from `old` into `new`: the cursor moved to the
    /// first cell that differs, the cells up to the last one that differs, and an erase to the
    /// end of the line where the new row is blank from there on. Empty when nothing differs.
    static func redraw(row: Int, from old: [Glyph], to new: [Glyph]) -> String {
        guard old != new, let firstDiff = new.indices.first(where: { old[$0] != new[$0] }),
              var last = new.indices.last(where: { old[$0] != new[$0] }) else { return "" }
        var first = firstDiff
        // Never start or stop inside a double-width character, old or new: a terminal that is
        // asked to overwrite half of one blanks it in ways that differ between terminals.
        while first > 0, new[first].isContinuation || old[first].isContinuation { first -= 1 }
        while last + 1 < new.count, new[last + 1].isContinuation || old[last + 1].isContinuation { last += 1 }
        let end = new.lastIndex(where: { !$0.isBlank }) ?? -1
        var out = "\u{1B}[\(row + 1);\(first + 1)H"
        var style = ""
        if first <= min(last, end) {
            for glyph in new[first...min(last, end)] where !glyph.isContinuation {
                if glyph.style != style {
                    out += "\u{1B}[0m" + (glyph.style.isEmpty ? "" : "\u{1B}[\(glyph.style)m")
                    style = glyph.style
                }
                out.append(glyph.character)
            }
        }
        if !style.isEmpty { out += "\u{1B}[0m" }
        // Everything after `end` is blank in the new row, so one erase (with colours reset,
        // as it fills with the current background) stands for any number of spaces.
        if last > end { out += "\u{1B}[K" }
        return out
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

/// One screen cell as a terminal draws it: a character with its SGR style, or the right half
/// of the double-width character before it.
struct Glyph: Equatable, Sendable {
    var character: Character
    var style: String
    var isContinuation: Bool

    static let blank = Glyph(character: " ", style: "", isContinuation: false)
    static let continuation = Glyph(character: " ", style: "", isContinuation: true)

    /// Blank as far as the screen is concerned: a space with no colour.
    var isBlank: Bool { !isContinuation && character == " " && style.isEmpty }

    /// The glyphs of one frame row, exactly `width` of them. Anything a terminal could not
    /// show in one cell (a control character, a combining mark on its own, a lone continuation,
    /// a double-width character without its right half) becomes a space, so that the cursor
    /// never drifts from the column the recording believes it is at.
    static func row(of frame: Frame, row: Int, width: Int) -> [Glyph] {
        var glyphs: [Glyph] = []
        glyphs.reserveCapacity(width)
        let inside = row >= 0 && row < frame.size.height
        var x = 0
        while x < width {
            guard inside, x < frame.size.width else {
                glyphs.append(.blank)
                x += 1
                continue
            }
            let cell = frame[row, x]
            var style = TextRenderer.sgr(cell.role)
            if cell.bold { style = style.isEmpty ? "1" : style + ";1" }
            let cellWidth = cell.isContinuation ? 0 : DisplayWidth.of(cell.character)
            if cellWidth == 2, x + 1 < width, x + 1 < frame.size.width, frame[row, x + 1].isContinuation {
                glyphs.append(Glyph(character: cell.character, style: style, isContinuation: false))
                glyphs.append(.continuation)
                x += 2
            } else {
                let character = cellWidth == 1 ? cell.character : " "
                glyphs.append(Glyph(character: character, style: style, isContinuation: false))
                x += 1
            }
        }
        return glyphs
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
    /// The lesson asks a question here; the frame shows its answer.
    case question
}

extension Storyboard {
    /// What step `step` brings (the weightiest when it brings several); `.step` outside the
    /// lesson.
    public func emphasis(ofStep step: Int) -> StepEmphasis {
        guard let (phase, within) = locate(step) else { return .step }
        if questionAsked(before: step) != nil { return .question }
        if phases.contains(where: { $0.firstStep == step }) { return .phaseChange }
        let ref = PhaseRef(kind: trace.phases[phase].kind, occurrence: occurrence[phase])
        if lesson.note(for: ref, step: within) != nil { return .narration }
        return .step
    }
}
