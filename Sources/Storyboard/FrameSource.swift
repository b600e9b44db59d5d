/// The language of narration and labels.
public enum Language: String, Sendable, CaseIterable, Codable {
    case en, ja

    /// The language a user's locale asks for: Japanese when `LC_ALL`, `LC_MESSAGES` or `LANG`
    /// (first one set wins, as POSIX orders them) starts with `ja`.
    public static func fromLocale(_ environment: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = environment[key], !v.isEmpty { return v.hasPrefix("ja") ? .ja : .en }
        }
        return .en
    }
}

/// How the viewer wants the frames drawn.
public struct ViewOptions: Sendable, Equatable {
    /// Cells as symbols (`W`, `1W + 2X + …`) instead of numbers.
    public var symbols: Bool
    /// The code pane with the seed-style numpy line.
    public var showCode: Bool
    public var language: Language
    /// Only ASCII for borders, arrows and marks: a locale that is not UTF-8, or a terminal that
    /// draws the symbols of East Asian ambiguous width (`─ · × → …`) two columns wide.
    public var asciiOnly: Bool
    /// With `asciiOnly`, Japanese stays (the terminal can show it, and it is two columns wide
    /// everywhere): only the ambiguous-width symbols take their ASCII look-alikes. Without it,
    /// `asciiOnly` means that nothing but ASCII can be shown, so frames are in English.
    public var keepsJapanese: Bool
    /// How many lines of a narration longer than its room are scrolled past.
    public var narrationOffset: Int
    /// Which page of blocks a reshape or transpose shows where its tensors cannot show every
    /// block at once (see `Frame.blocks`).
    public var blockPage: Int
    /// The legend of the marks and colours, on screen above the arithmetic.
    public var showLegend: Bool
    /// The inspector's cursor and the cell whose lineage lights up; nil outside inspect mode.
    public var inspection: Inspection?

    public init(symbols: Bool = false, showCode: Bool = true, language: Language = .en, asciiOnly: Bool = false,
                keepsJapanese: Bool = false, narrationOffset: Int = 0, blockPage: Int = 0, showLegend: Bool = false,
                inspection: Inspection? = nil) {
        self.inspection = inspection
        self.blockPage = blockPage
        self.showLegend = showLegend
        self.symbols = symbols
        self.showCode = showCode
        self.language = language
        self.asciiOnly = asciiOnly
        self.keepsJapanese = keepsJapanese
        self.narrationOffset = narrationOffset
    }

    /// The language frames are drawn in: English where Japanese cannot be shown.
    public var languageShown: Language { asciiOnly && !keepsJapanese ? .en : language }
}

/// One cell of one tensor of the source, as frames name it for the inspector: the tensor's
/// number in the trace and a flat, row-major index into its shape.
public struct CellID: Hashable, Sendable {
    public var tensor: Int
    public var index: Int
    public init(tensor: Int, index: Int) {
        self.tensor = tensor
        self.index = index
    }
}

/// Where a frame drew a cell: `width` columns from (`row`, `column`), its mark included, so
/// that a click there or the inspector's cursor can find it.
public struct CellHit: Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var width: Int
    public var cell: CellID
    public init(row: Int, column: Int, width: Int, cell: CellID) {
        (self.row, self.column, self.width, self.cell) = (row, column, width, cell)
    }
    public func contains(row: Int, column: Int) -> Bool {
        row == self.row && column >= self.column && column < self.column + width
    }
}

/// What the inspector points at: a cursor the keys move, and the cell selected (with Enter or
/// a click) whose lineage — the cells it comes from and those it goes to — lights up, as its
/// value stood at the step where it was selected.
public struct Inspection: Equatable, Sendable {
    public var cursor: CellID
    public var selected: CellID?
    /// The step (as the source numbers them) whose value of `selected` is explained.
    public var selectedAt: Int

    public init(cursor: CellID, selected: CellID? = nil, selectedAt: Int = 0) {
        self.cursor = cursor
        self.selected = selected
        self.selectedAt = selectedAt
    }
}

/// A phase as the player lists it: where it starts and what it is called.
public struct PhaseMark: Sendable, Equatable {
    /// The phase's name as the article's code and the lesson headings say it (`transpose 2`).
    public var title: String
    public var firstStep: Int
    /// The name in Japanese, for a status line in the lesson's language.
    public var japaneseTitle: String

    public init(title: String, firstStep: Int, japaneseTitle: String? = nil) {
        self.title = title
        self.firstStep = firstStep
        self.japaneseTitle = japaneseTitle ?? title
    }

    /// The name in `language`.
    public func title(_ language: Language) -> String { language == .ja ? japaneseTitle : title }
}

/// Anything that can be played: a number of steps, phases over them, and a pure function from
/// a step and a screen size to a frame. The terminal player and the renderers only use this.
public protocol FrameSource: Sendable {
    var stepCount: Int { get }
    var phases: [PhaseMark] { get }
    /// The smallest screen on which frames are readable; below it the player shows a
    /// "terminal too small" screen instead.
    var minimumSize: Size { get }
    /// A question to pause on before `step` is shown, if the lesson asks one there: its
    /// prompt, and the key a typed answer is checked against.
    func asked(before step: Int, language: Language) -> AskedQuestion?
    func frame(at step: Int, size: Size, options: ViewOptions) -> Frame
    /// How the status line names a cell: `y[0,0,1,1]`; nil for a source without cells.
    func cellName(_ cell: CellID) -> String?
    /// What `step` brings that a viewer must read (a new phase, narration, a question's answer).
    func emphasis(ofStep step: Int) -> StepEmphasis
}

extension FrameSource {
    public func asked(before step: Int, language: Language) -> AskedQuestion? { nil }
    public func cellName(_ cell: CellID) -> String? { nil }
    public func emphasis(ofStep step: Int) -> StepEmphasis { .step }

    /// The index into `phases` of the phase that contains `step`.
    public func phaseIndex(ofStep step: Int) -> Int {
        var lo = 0
        for (i, p) in phases.enumerated() where p.firstStep <= step { lo = i }
        return lo
    }
}
