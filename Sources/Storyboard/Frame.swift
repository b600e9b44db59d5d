/// What a cell means on screen. Front ends map roles to colours, or to bold/reverse/underline
/// where there is no colour; the storyboard never names a colour.
public enum Role: UInt8, Sendable, CaseIterable, Codable {
    case plain
    /// Labels, borders, shapes: quieter than the data.
    case dim
    /// Titles and the phase name.
    case heading
    /// The filter window or the operand row/column being read.
    case window
    /// The cell a value is read from.
    case source
    /// The cell being written in this step.
    case dest
    /// The winning cell of a max.
    case argmax
    /// A cell that received more than one contribution.
    case accumulated
    /// Cells that exist only because of zero padding.
    case padding
    /// Cells already computed in an earlier step of the phase.
    case done
    /// The highlighted line in the code pane.
    case code
    /// Narration and questions.
    case narration
    /// Something went wrong or is wrong on purpose (the seed's fancy-indexing pitfall).
    case warning
    /// The colours that follow the blocks of a tensor through a reshape or a transpose: each
    /// block's values keep one tint before and after, so the whole movement shows at once.
    case tintA, tintB, tintC, tintD
    /// The inspector's cursor.
    case cursor
    /// The cell the inspector explains.
    case inspected
    /// A cell the inspected cell comes from or goes to.
    case lineage

    /// The tints in order; block `k` takes `tints[k % tints.count]`.
    public static let tints: [Role] = [.tintA, .tintB, .tintC, .tintD]
}

/// The blocks a frame shows of a tensor that cannot show them all: `shown` blocks from block
/// `first` (0-based) of `total`.
public struct BlockPage: Sendable, Equatable {
    public var first: Int
    public var shown: Int
    public var total: Int
    public init(first: Int, shown: Int, total: Int) {
        (self.first, self.shown, self.total) = (first, shown, total)
    }
}

/// The narration lines a frame shows: `shown` lines from line `first` (0-based, after any
/// clamping of the requested offset) of `total`.
public struct NarrationWindow: Sendable, Equatable {
    public var first: Int
    public var shown: Int
    public var total: Int
    public init(first: Int, shown: Int, total: Int) {
        (self.first, self.shown, self.total) = (first, shown, total)
    }
    /// Whether lines are hidden below the window.
    public var moreBelow: Bool { first + shown < total }
}

/// One screen cell. A double-width character occupies its cell and the next, which holds
/// `continuation` so that the grid stays a plain rectangle.
public struct Cell: Sendable, Equatable {
    public var character: Character
    public var role: Role
    public var bold: Bool

    public init(_ character: Character = " ", role: Role = .plain, bold: Bool = false) {
        self.character = character
        self.role = role
        self.bold = bold
    }

    /// The placeholder to the right of a double-width character.
    public static let continuation = Cell("\u{0}")
    public var isContinuation: Bool { character.utf8.first == 0 }
}

public struct Size: Sendable, Equatable, CustomStringConvertible {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
    public var description: String { "\(width)×\(height)" }
}

/// A rectangle of styled cells: what one position of the trace looks like on a screen of a
/// given size. Pure data; the terminal diffs two frames and writes only what changed.
public struct Frame: Sendable, Equatable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Which lines of the narration the frame shows, so that a player can scroll it without
    /// reading the picture; nil where the frame has no narration.
    public var narration: NarrationWindow?
    /// Which blocks of a reshape's or transpose's tensors the frame shows, where they cannot
    /// all be shown at once: the player pages through them. Nil where every block is shown.
    public var blocks: BlockPage?
    /// Where each tensor cell on screen was drawn, in drawing order: the inspector moves its
    /// cursor among these, and a click is mapped to a cell through them.
    public var hits: [CellHit] = []
    /// The cell the step writes (its focus), where it is on screen: where the inspector starts.
    public var focusCell: CellID?

    public init(size: Size) {
        self.size = size
        self.cells = [Cell](repeating: Cell(), count: max(0, size.width) * max(0, size.height))
    }

    public subscript(row: Int, column: Int) -> Cell {
        get { cells[row * size.width + column] }
        set {
            guard row >= 0, row < size.height, column >= 0, column < size.width else { return }
            cells[row * size.width + column] = newValue
        }
    }

    /// Writes `text` starting at (row, column), clipped to the frame; returns the column after
    /// the last character written. Wide characters take two columns and are never split.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, role: Role = .plain,
                             bold: Bool = false, maxWidth: Int? = nil) -> Int {
        guard row >= 0, row < size.height else { return column }
        let limit = min(size.width, maxWidth.map { column + $0 } ?? size.width)
        return DisplayWidth.place(text, from: column, limit: limit, role: role, bold: bold) { x, cell in self[row, x] = cell }
    }

    /// `count` copies of one narrow character from `column`: a rule, cell by cell rather than
    /// through a string.
    public mutating func fill(_ character: Character, row: Int, column: Int, count: Int, role: Role = .plain, bold: Bool = false) {
        guard row >= 0, row < size.height, count > 0 else { return }
        let cell = Cell(character, role: role, bold: bold)
        for x in max(0, column)..<max(max(0, column), min(size.width, column + count)) { self[row, x] = cell }
    }

    /// Sets the role of a run of cells without changing their characters.
    public mutating func paint(row: Int, column: Int, width: Int, role: Role, bold: Bool? = nil) {
        guard row >= 0, row < size.height else { return }
        for x in max(0, column)..<min(size.width, column + width) {
            var c = self[row, x]
            c.role = role
            if let bold { c.bold = bold }
            self[row, x] = c
        }
    }

    /// Replaces every character a terminal without UTF-8 cannot show by an ASCII look-alike
    /// (`·` → `.`, `×` → `x`, box drawing → `-` `|` `+`), or `?` where there is none; a wide
    /// character's right half becomes a space, so columns stay where they were. With
    /// `keepingWide`, wide characters (Japanese) stay: a terminal that can show them but draws
    /// ambiguous-width symbols two columns wide needs only the symbols replaced.
    public mutating func transliterateToASCII(keepingWide: Bool = false) {
        for i in cells.indices {
            let c = cells[i]
            if keepingWide, c.isContinuation || DisplayWidth.of(c.character) == 2 { continue }
            if c.isContinuation {
                cells[i] = Cell(" ", role: c.role, bold: c.bold)
            } else if !c.character.isASCII {
                cells[i].character = Self.asciiLookAlike(c.character)
            }
        }
    }

    /// The ASCII look-alike of `ch` (itself when it is ASCII), or `?` where there is none:
    /// the one transliteration table, used by frames and by the terminal alike.
    public static func asciiLookAlike(_ ch: Character) -> Character {
        if ch.isASCII { return ch }
        switch ch {
        case "·", "•", "…", "。", "、": return "."
        case "×": return "x"
        case "±": return "+"
        case "¹": return "1"
        case "²": return "2"
        case "³": return "3"
        case "─", "━", "═", "−", "–", "—", "ー": return "-"
        case "│", "┃", "║": return "|"
        case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼": return "+"
        case "→", "▶", "▸", "›", "≥": return ">"
        case "←", "◀", "‹", "≤": return "<"
        case "′", "’", "‘": return "'"
        case "“", "”", "″": return "\""
        case "√": return "v"
        case "ε": return "e"
        case "Σ": return "S"
        default:
            // A letter with a combining mark (m̂) keeps its letter.
            if let base = ch.unicodeScalars.first, base.isASCII { return Character(base) }
            return "?"
        }
    }

    /// The text of one row, continuation cells dropped, trailing spaces trimmed.
    public func line(_ row: Int) -> String {
        var bytes: [UInt8] = []
        appendLine(row, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The UTF-8 of row `row` without its trailing blanks. Bytes, not `Character`s: comparing
    /// and appending characters one by one costs more than building the frame.
    private func appendLine(_ row: Int, to bytes: inout [UInt8]) {
        let start = row * size.width
        var end = start + size.width
        while end > start, Self.isBlank(cells[end - 1].character) { end -= 1 }
        bytes.reserveCapacity(bytes.count + 3 * (end - start))
        for c in cells[start..<end] {
            // A continuation cell (`\0`) stands for the right half of a wide character.
            for b in c.character.utf8 where b != 0 { bytes.append(b) }
        }
    }

    private static func isBlank(_ c: Character) -> Bool {
        let utf8 = c.utf8
        return utf8.count == 1 && utf8.first == 0x20
    }

    /// The whole frame as plain text, one line per row.
    public var text: String {
        var bytes: [UInt8] = []
        for row in 0..<size.height {
            if row > 0 { bytes.append(0x0A) }
            appendLine(row, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A stretch of one row whose cells differ between two frames.
public struct ChangedRun: Sendable, Equatable, CustomStringConvertible {
    public var row: Int
    public var columns: Range<Int>

    public init(row: Int, columns: Range<Int>) {
        self.row = row
        self.columns = columns
    }

    public var description: String { "row \(row) \(columns.lowerBound)..<\(columns.upperBound)" }
}

extension Frame {
    /// What a terminal writer must rewrite to turn a screen showing `previous` into this frame:
    /// per row, the stretches of cells that differ, top to bottom and left to right, never
    /// touching each other. A stretch never starts or ends inside a double-width character,
    /// old or new, since a terminal asked to overwrite half of one blanks it in ways that
    /// differ between terminals. Every row whole where there is no previous frame or its size
    /// differs. Stretches parted by at most `joiningGaps` unchanged cells are one stretch, for a
    /// writer to which rewriting a few cells costs less than moving the cursor. The curses
    /// player, asciicast recordings and the bench all diff through this.
    public func changedRuns(from previous: Frame?, joiningGaps: Int = 0) -> [ChangedRun] {
        let width = size.width
        guard width > 0, size.height > 0 else { return [] }
        guard let previous, previous.size == size else {
            return (0..<size.height).map { ChangedRun(row: $0, columns: 0..<width) }
        }
        var runs: [ChangedRun] = []
        for row in 0..<size.height {
            let base = row * width
            let rowStart = runs.count
            var x = 0
            while x < width {
                if cells[base + x] == previous.cells[base + x] {
                    x += 1
                    continue
                }
                var start = x
                var end = x + 1
                while end < width, cells[base + end] != previous.cells[base + end] { end += 1 }
                while start > 0, cells[base + start].isContinuation || previous.cells[base + start].isContinuation {
                    start -= 1
                }
                while end < width, cells[base + end].isContinuation || previous.cells[base + end].isContinuation {
                    end += 1
                }
                if runs.count > rowStart, runs[runs.count - 1].columns.upperBound + max(0, joiningGaps) >= start {
                    let first = runs[runs.count - 1].columns.lowerBound
                    runs[runs.count - 1].columns = min(first, start)..<end
                } else {
                    runs.append(ChangedRun(row: row, columns: start..<end))
                }
                x = end
            }
        }
        return runs
    }
}

/// Display width measured by the storyboard itself: the C library's `wcwidth` depends on the
/// locale, and layout must not.
public enum DisplayWidth {
    public static func of(_ ch: Character) -> Int {
        guard let scalar = ch.unicodeScalars.first else { return 0 }
        let v = scalar.value
        // Most cells are ASCII: answer them before asking for Unicode properties.
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 { return 0 }
        // Then the narrow symbols every frame draws — Latin-1 (`·` `×`), dashes and `…`, arrows,
        // rules and tiles (`─` `┼` `▶`) — without asking for Unicode properties either.
        if v < 0x300 || (0x2010...0x2027).contains(v) || (0x2190...0x21FF).contains(v) || (0x2500...0x25FF).contains(v) {
            return 1
        }
        if scalar.properties.generalCategory == .nonspacingMark || v == 0x200B { return 0 }
        return isWide(v) ? 2 : 1
    }

    public static func of(_ s: String) -> Int {
        s.reduce(0) { $0 + of($1) }
    }

    /// East Asian Wide and Fullwidth ranges (the ones Japanese text uses, and emoji).
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
             0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Lays `text` out from `column`, never past `limit` and never splitting a wide character:
    /// `set` receives each cell (a wide character's right half as `Cell.continuation`).
    /// Returns the column after the last character placed.
    static func place(_ text: String, from column: Int, limit: Int, role: Role = .plain, bold: Bool = false,
                      _ set: (Int, Cell) -> Void) -> Int {
        var x = column
        for ch in text {
            let w = of(ch)
            if w == 0 { continue }
            if x + w > limit { break }
            if x >= 0 {
                set(x, Cell(ch, role: role, bold: bold))
                if w == 2 { set(x + 1, .continuation) }
            }
            x += w
        }
        return x
    }

    /// Cuts `s` to at most `width` columns, ending with `…` when something was cut.
    public static func truncate(_ s: String, to width: Int) -> String {
        if of(s) <= width { return s }
        guard width > 0 else { return "" }
        var out = ""
        var w = 0
        for ch in s {
            let cw = of(ch)
            if w + cw > width - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }
}
