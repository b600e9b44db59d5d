/// Frames as a table of distinct rows, each frame a list of row numbers: how the exported page
/// carries every frame of a lesson in little room, since consecutive frames share most rows
/// (the title, the rules, the grids a step does not touch).
///
/// A row is its text as `Frame.line` gives it (continuation cells dropped, trailing spaces
/// trimmed) and its looks as runs over columns. A look is a role and whether the cell is bold,
/// numbered `Look.number`; the runs stop at the last cell that is not plain, so that a row of
/// plain text has none. A reader needs only the characters two columns wide (`wide`) to map the
/// text back onto columns.
public struct FrameTable: Sendable {
    /// One row of a frame.
    public struct Row: Hashable, Sendable, Encodable {
        /// The row as plain text shows it.
        public var text: String
        /// Pairs of (look number, columns), from column 0 to the last cell that is not plain.
        public var runs: [Int]

        public init(text: String, runs: [Int]) {
            self.text = text
            self.runs = runs
        }

        /// `["text", [look, columns, …]]`: a pair rather than an object, since a page holds
        /// thousands of rows.
        public func encode(to encoder: any Encoder) throws {
            var pair = encoder.unkeyedContainer()
            try pair.encode(text)
            try pair.encode(runs)
        }
    }

    /// The distinct rows, in the order they were first seen.
    public private(set) var rows: [Row] = []
    /// The characters two columns wide that the rows hold.
    public private(set) var wide: Set<Character> = []
    private var numbers: [Row: Int] = [:]

    public init() {}

    /// The number of a cell's look: its role's raw value times two, plus one where it is bold.
    /// 0 is plain text.
    public static func look(_ cell: Cell) -> Int {
        Int(cell.role.rawValue) * 2 + (cell.bold ? 1 : 0)
    }

    /// The role and boldness of a look number.
    public static func cell(ofLook number: Int) -> Cell {
        Cell(" ", role: Role(rawValue: UInt8(number / 2)) ?? .plain, bold: number % 2 == 1)
    }

    /// Every look number a row can carry, in order.
    public static let lookNumbers: [Int] = Role.allCases.flatMap { [look(Cell(role: $0)), look(Cell(role: $0, bold: true))] }

    /// Row `y` of `frame`. A wide character's right half takes its left half's look, so that
    /// a highlight covers the whole character (as `MarkupRenderer` colours it).
    public static func row(_ frame: Frame, _ y: Int) -> Row {
        var looks: [Int] = []
        looks.reserveCapacity(frame.size.width)
        for x in 0..<frame.size.width {
            let c = frame[y, x]
            looks.append(c.isContinuation && !looks.isEmpty ? looks[looks.count - 1] : look(c))
        }
        while looks.last == 0 { looks.removeLast() }
        var runs: [Int] = []
        var x = 0
        while x < looks.count {
            var end = x + 1
            while end < looks.count, looks[end] == looks[x] { end += 1 }
            runs += [looks[x], end - x]
            x = end
        }
        return Row(text: frame.line(y), runs: runs)
    }

    /// Adds the rows of `frame` that are new, and returns the frame as row numbers, top first.
    public mutating func add(_ frame: Frame) -> [Int] {
        (0..<frame.size.height).map { y in
            let row = Self.row(frame, y)
            if let n = numbers[row] { return n }
            for ch in row.text where DisplayWidth.of(ch) == 2 { wide.insert(ch) }
            numbers[row] = rows.count
            rows.append(row)
            return rows.count - 1
        }
    }
}
