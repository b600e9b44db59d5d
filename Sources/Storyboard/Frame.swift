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
///
/// The character is kept as its UTF-8 in eight bytes rather than as a `Character`: a cell is then
/// a plain value with nothing to count or free, and a projector's frame of 7,680 cells is built,
/// compared and turned into text at the cost of copying memory. Eight bytes hold every character
/// a terminal can draw in one cell (a kanji, a letter with a combining mark such as m̂, an emoji
/// with its variation selector); a longer cluster keeps the scalars that fit.
public struct Cell: Sendable, Equatable {
    /// The character's UTF-8, first byte lowest, zero bytes after it; 0 for `continuation`.
    private(set) var utf8: UInt64
    public var role: Role
    public var bold: Bool

    public init(_ character: Character = " ", role: Role = .plain, bold: Bool = false) {
        self.init(utf8: Self.pack(character), role: role, bold: bold)
    }

    init(utf8: UInt64, role: Role = .plain, bold: Bool = false) {
        self.utf8 = utf8
        self.role = role
        self.bold = bold
    }

    public var character: Character {
        get {
            if utf8 == 0 { return "\u{0}" }
            var bytes: [UInt8] = []
            append(to: &bytes)
            return Character(String(decoding: bytes, as: UTF8.self))
        }
        set { utf8 = Self.pack(newValue) }
    }

    /// The placeholder to the right of a double-width character.
    public static let continuation = Cell(utf8: 0)
    public var isContinuation: Bool { utf8 == 0 }
    /// A plain space, whatever its role.
    var isSpace: Bool { utf8 == 0x20 }
    var isASCII: Bool { utf8 < 0x80 }

    /// Appends the character's UTF-8 (nothing for a continuation cell).
    func append(to bytes: inout [UInt8]) {
        var v = utf8
        while v != 0 {
            bytes.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    /// Whole scalars of `character`, as many as eight bytes hold.
    static func pack(_ character: Character) -> UInt64 {
        let utf8 = character.utf8
        if utf8.count <= 8 {
            var packed: UInt64 = 0, shift: UInt64 = 0
            for byte in utf8 {
                packed |= UInt64(byte) << shift
                shift += 8
            }
            return packed
        }
        var packed: UInt64 = 0
        var used: UInt64 = 0
        for scalar in character.unicodeScalars {
            let bytes = scalar.utf8
            if used + UInt64(bytes.count) > 8 { break }
            for byte in bytes {
                packed |= UInt64(byte) << (8 * used)
                used += 1
            }
        }
        return packed
    }
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

    /// Copies a run of cells to (row, column), clipped to the frame: a block drawn row by row.
    mutating func copy(_ run: ArraySlice<Cell>, row: Int, column: Int) {
        guard row >= 0, row < size.height, column < size.width else { return }
        let skip = max(0, -column)
        let n = min(run.count - skip, size.width - max(0, column))
        guard n > 0 else { return }
        let to = row * size.width + max(0, column), from = run.startIndex + skip
        cells.replaceSubrange(to..<(to + n), with: run[from..<(from + n)])
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
            } else if !c.isASCII {
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
    public func line(_ row: Int) -> String { text(rows: row..<(row + 1)) }

    /// The whole frame as plain text, one line per row.
    public var text: String { text(rows: 0..<size.height) }

    /// Rows as text, trailing spaces trimmed, written straight into the string's storage: a
    /// projector's frame is turned into text for every step a recording or a pipe shows.
    private func text(rows: Range<Int>) -> String {
        guard !rows.isEmpty, size.width > 0 else { return "" }
        return cells.withUnsafeBufferPointer { cells in
            // Each row's cells up to its last that is not a space, and their bytes.
            var ends: [Int] = []
            ends.reserveCapacity(rows.count)
            var total = rows.count - 1
            for row in rows {
                let start = row * size.width
                var end = start + size.width
                while end > start, cells[end - 1].isSpace { end -= 1 }
                ends.append(end)
                for i in start..<end { total += (71 - cells[i].utf8.leadingZeroBitCount) / 8 }
            }
            return String(unsafeUninitializedCapacity: total) { out in
                var n = 0
                for (k, row) in rows.enumerated() {
                    if k > 0 {
                        out[n] = 0x0A
                        n += 1
                    }
                    // A continuation cell stands for the right half of a wide character and adds nothing.
                    for i in (row * size.width)..<ends[k] {
                        var v = cells[i].utf8
                        if v < 0x80, v != 0 {
                            out[n] = UInt8(truncatingIfNeeded: v)
                            n += 1
                            continue
                        }
                        while v != 0 {
                            out[n] = UInt8(truncatingIfNeeded: v)
                            n += 1
                            v >>= 8
                        }
                    }
                }
                return n
            }
        }
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
