import Foundation

/// A small terminal screen for replaying recordings in tests: a grid of characters that
/// understands the escape sequences a recording may use (cursor position `CSI row;col H`,
/// `CSI 2 J`, `CSI K`, SGR `m` and the cursor visibility modes) and nothing else, so that a
/// recording relying on anything more is caught. Double-width characters take two columns,
/// and writing over half of one blanks the other half, as real terminals do. The SGR in force
/// when a cell was written is kept with it, read here rather than by the code under test.
///
/// The Storyboard tests replay recordings made in memory, the CLI tests those `tatami record`
/// writes; both read them with this one screen.
public struct VirtualTerminal {
    /// Colours and attributes as SGR states them: colours 0–7 (nil for the terminal's own;
    /// bright and 256-colour forms as their own numbers, 8 and up) and the attribute codes in
    /// force (1 bold, 2 dim, 4 underline, 7 reverse).
    public struct Pen: Hashable, CustomStringConvertible, Sendable {
        public var foreground: Int?
        public var background: Int?
        public var attributes: Set<Int> = []
        public static let plain = Pen()
        public init(foreground: Int? = nil, background: Int? = nil, attributes: Set<Int> = []) {
            (self.foreground, self.background, self.attributes) = (foreground, background, attributes)
        }
        public var description: String {
            "fg \(foreground.map(String.init) ?? "-") bg \(background.map(String.init) ?? "-") \(attributes.sorted())"
        }
    }

    public let width: Int
    public let height: Int
    /// nil marks the right half of a double-width character.
    public private(set) var cells: [[Character?]]
    /// The pen each cell was written (or erased) with.
    public private(set) var pens: [[Pen]]
    private var pen = Pen.plain
    private var row = 0
    private var column = 0
    /// Whether the cursor sits past the last column; printing now would wrap to the next line,
    /// which a recording must never rely on.
    private var pendingWrap = false
    /// What the replay met that a recording should not contain.
    public private(set) var problems: [String] = []

    /// A blank screen of `width` × `height` cells (at least 1 × 1).
    public init(width: Int, height: Int) {
        self.width = max(1, width)
        self.height = max(1, height)
        cells = Array(repeating: Array(repeating: " ", count: self.width), count: self.height)
        pens = Array(repeating: Array(repeating: .plain, count: self.width), count: self.height)
    }

    /// The screen as text: continuation halves dropped, trailing spaces trimmed.
    public var lines: [String] {
        cells.map { row in
            var line = String(row.compactMap { $0 })
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// Writes `output` to the screen, escape sequences and all.
    public mutating func feed(_ output: String) {
        var characters = Array(output)[...]
        while let ch = characters.popFirst() {
            if ch == "\u{1B}" {
                guard characters.popFirst() == "[" else {
                    problems.append("an escape that is not a control sequence")
                    continue
                }
                var parameters = ""
                var final: Character?
                while let c = characters.popFirst() {
                    if let ascii = c.asciiValue, (0x40...0x7E).contains(ascii) {
                        final = c
                        break
                    }
                    parameters.append(c)
                }
                guard let final else {
                    problems.append("a control sequence cut off at the end of a chunk")
                    return
                }
                control(parameters, final)
            } else if ch.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) {
                print(ch)
            } else {
                problems.append("a control character \(ch.unicodeScalars.map { $0.value }) written as text")
            }
        }
    }

    private mutating func control(_ parameters: String, _ final: Character) {
        let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
        switch (final, parameters) {
        case ("H", _):
            let r = numbers.first.flatMap { $0 } ?? 1
            let c = numbers.count > 1 ? (numbers[1] ?? 1) : 1
            guard (1...height).contains(r), (1...width).contains(c) else {
                problems.append("cursor moved outside the screen to \(r);\(c)")
                return
            }
            row = r - 1
            column = c - 1
            pendingWrap = false
        case ("J", "2"):
            cells = Array(repeating: Array(repeating: " ", count: width), count: height)
            pens = Array(repeating: Array(repeating: erasing, count: width), count: height)
        case ("K", ""), ("K", "0"):
            guard !pendingWrap else { return }
            if column > 0, cells[row][column] == nil { cells[row][column - 1] = " " }
            for x in column..<width {
                cells[row][x] = " "
                pens[row][x] = erasing
            }
        case ("m", _):
            if numbers.contains(where: { $0 == nil && !parameters.isEmpty }) {
                problems.append("a malformed SGR \(parameters)")
                return
            }
            applySGR(numbers.map { $0 ?? 0 })
        case ("l", "?25"), ("h", "?25"):
            break
        default:
            problems.append("an unexpected control sequence ESC[\(parameters)\(final)")
        }
    }

    /// Erased cells take the current background, as terminals fill them.
    private var erasing: Pen { Pen(background: pen.background) }

    private mutating func applySGR(_ codes: [Int]) {
        var codes = codes[...]
        if codes.isEmpty { pen = .plain }
        while let code = codes.popFirst() {
            switch code {
            case 0: pen = .plain
            case 1, 2, 4, 7: pen.attributes.insert(code)
            case 22: pen.attributes.subtract([1, 2])
            case 24, 27: pen.attributes.remove(code - 20)
            case 30...37: pen.foreground = code - 30
            case 39: pen.foreground = nil
            case 40...47: pen.background = code - 40
            case 49: pen.background = nil
            case 90...97: pen.foreground = code - 90 + 8
            case 100...107: pen.background = code - 100 + 8
            case 38, 48:
                guard codes.popFirst() == 5, let n = codes.popFirst() else {
                    problems.append("an SGR colour this screen does not know: \(code)")
                    return
                }
                if code == 38 { pen.foreground = n } else { pen.background = n }
            default:
                problems.append("an SGR code this screen does not know: \(code)")
            }
        }
    }

    private mutating func print(_ ch: Character) {
        let wide = Self.isWide(ch)
        if pendingWrap || (wide && column + 1 >= width) {
            problems.append("text \(ch) written past the end of row \(row + 1)")
            return
        }
        blankHalves(at: column)
        cells[row][column] = ch
        pens[row][column] = pen
        if wide {
            blankHalves(at: column + 1)
            cells[row][column + 1] = nil
            pens[row][column + 1] = pen
        }
        column += wide ? 2 : 1
        if column >= width {
            column = width - 1
            pendingWrap = true
        }
    }

    /// Overwriting one half of a double-width character erases the other half.
    private mutating func blankHalves(at x: Int) {
        if cells[row][x] == nil, x > 0 { cells[row][x - 1] = " " }
        if x + 1 < width, cells[row][x + 1] == nil { cells[row][x + 1] = " " }
    }

    /// East Asian wide characters, written out here rather than taken from the code under test.
    static func isWide(_ ch: Character) -> Bool {
        guard let v = ch.unicodeScalars.first?.value else { return false }
        let ranges: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
        ]
        return ranges.contains { $0.contains(v) }
    }
}

/// One asciicast v2 document read back with Foundation's JSON parser.
public struct ParsedCast {
    public var header: [String: Any]
    public var events: [(time: Double, type: String, text: String)]

    /// Parses every line on its own, as players do; a failure names the first bad line.
    public static func parse(_ document: String) -> Result<ParsedCast, CastError> {
        var lines = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first else { return .failure(CastError("the document is empty")) }
        guard let header = (try? JSONSerialization.jsonObject(with: Data(first.utf8))) as? [String: Any] else {
            return .failure(CastError("the header is not a JSON object: \(first)"))
        }
        var events: [(Double, String, String)] = []
        for (n, line) in lines.dropFirst().enumerated() {
            guard let array = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [Any], array.count == 3,
                  let time = (array[0] as? NSNumber)?.doubleValue, let type = array[1] as? String,
                  let text = array[2] as? String else {
                return .failure(CastError("event line \(n + 2) is not [time, type, text]: \(line)"))
            }
            events.append((time, type, text))
        }
        return .success(ParsedCast(header: header, events: events))
    }

    /// The screen after every event, replayed from a blank one of the header's size.
    public func replay() -> VirtualTerminal {
        var terminal = VirtualTerminal(width: (header["width"] as? NSNumber)?.intValue ?? 1,
                                       height: (header["height"] as? NSNumber)?.intValue ?? 1)
        for event in events where event.type == "o" { terminal.feed(event.text) }
        return terminal
    }
}

/// Why a document is not an asciicast v2 recording.
public struct CastError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
