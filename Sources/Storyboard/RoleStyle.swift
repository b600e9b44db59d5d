/// The eight colours every colour terminal has, numbered as ANSI and curses number them.
public enum Colour: Int16, Sendable, CaseIterable {
    case black = 0, red, green, yellow, blue, magenta, cyan, white

    /// The colour as `#rrggbb`, for encodings that name colours rather than numbering them
    /// (SVG, HTML): a terminal's usual palette, readable on `Colour.page`.
    public var hex: String {
        switch self {
        case .black: return "#000000"
        case .red: return "#cd3131"
        case .green: return "#0dbc79"
        case .yellow: return "#e5e510"
        case .blue: return "#2472c8"
        case .magenta: return "#bc3fbc"
        case .cyan: return "#11a8cd"
        case .white: return "#e5e5e5"
        }
    }

    /// The page and text colours of a terminal's own look (a role without colours), in SVG and
    /// HTML: dark, as the terminal the table's colours were chosen for.
    public static let page = "#1e1e1e"
    public static let text = "#d4d4d4"
}

/// The video attributes a role can use, independent of any terminal's encoding of them.
public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    public static let reverse = Attributes(rawValue: 2)
    public static let underline = Attributes(rawValue: 4)
    public static let dim = Attributes(rawValue: 8)
}

/// How one role looks, in every front end: the curses player, `render --color always` and
/// asciicast recordings all read this one table, so that a role has one colour everywhere.
///
/// A foreground and a background colour (nil: the terminal's own), attributes that go with the
/// colours, the attributes that stand in for colour where there is none (`NO_COLOR`, a vt100),
/// and the ASCII mark a grid writes before the cell, which survives plain text and screen
/// readers.
public struct RoleStyle: Sendable, Equatable {
    public var foreground: Colour?
    public var background: Colour?
    public var attributes: Attributes
    /// The look without colour.
    public var monochrome: Attributes
    /// The character before a grid cell of this role.
    public var mark: Character?

    public init(foreground: Colour? = nil, background: Colour? = nil, attributes: Attributes = [],
                monochrome: Attributes = [], mark: Character? = nil) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
        self.monochrome = monochrome
        self.mark = mark
    }

    /// The table. Highlights are backgrounds, so that a cell stands out whatever its text;
    /// attributes back them up on terminals with few colours. Without colour every highlight a
    /// grid can carry — window, source, dest, argmax, accumulated, padding, done — has an
    /// attribute combination of its own, different from plain and dim text; text roles that
    /// never share a place with each other (narration, code) may repeat one.
    public static func of(_ role: Role) -> RoleStyle {
        switch role {
        case .plain:
            return RoleStyle()
        case .dim:
            return RoleStyle(attributes: [.dim], monochrome: [.dim])
        case .heading:
            return RoleStyle(foreground: .yellow, attributes: [.bold], monochrome: [.bold])
        case .window:
            return RoleStyle(foreground: .black, background: .cyan, monochrome: [.underline], mark: "*")
        case .source:
            return RoleStyle(foreground: .black, background: .green, monochrome: [.reverse], mark: "<")
        case .dest:
            return RoleStyle(foreground: .black, background: .yellow, attributes: [.bold],
                             monochrome: [.reverse, .bold], mark: ">")
        case .argmax:
            return RoleStyle(foreground: .white, background: .red, attributes: [.bold],
                             monochrome: [.reverse, .underline], mark: "^")
        case .accumulated:
            return RoleStyle(foreground: .black, background: .magenta, monochrome: [.bold, .underline], mark: "+")
        case .padding:
            return RoleStyle(foreground: .blue, attributes: [.dim], monochrome: [.dim, .underline])
        case .done:
            return RoleStyle(foreground: .green, monochrome: [.bold, .dim])
        case .code:
            return RoleStyle(foreground: .black, background: .white, monochrome: [.reverse])
        case .narration:
            return RoleStyle(foreground: .cyan)
        case .warning:
            return RoleStyle(foreground: .red, attributes: [.bold], monochrome: [.bold, .reverse, .underline])
        // Tints only share a grid with source and dest (green, yellow), never with window,
        // argmax or accumulated; without colour the step's text names where blocks land.
        case .tintA:
            return RoleStyle(foreground: .white, background: .blue)
        case .tintB:
            return RoleStyle(foreground: .black, background: .magenta)
        case .tintC:
            return RoleStyle(foreground: .black, background: .cyan)
        case .tintD:
            return RoleStyle(foreground: .black, background: .white)
        // The inspector's roles replace the tints while it is on, so blue and white are theirs.
        case .cursor:
            return RoleStyle(foreground: .red, background: .white, attributes: [.bold, .underline],
                             monochrome: [.bold, .dim, .underline], mark: "@")
        case .inspected:
            return RoleStyle(foreground: .black, background: .white, attributes: [.bold],
                             monochrome: [.bold, .reverse, .underline], mark: "#")
        case .lineage:
            return RoleStyle(foreground: .white, background: .blue, attributes: [.bold],
                             monochrome: [.reverse, .dim], mark: "~")
        }
    }

    /// The ASCII character a grid writes before a cell of `role`, or nil for roles without one.
    public static func mark(_ role: Role) -> Character? { of(role).mark }

    /// The attributes of `role` without colour.
    public static func monochrome(_ role: Role) -> Attributes { of(role).monochrome }

    // MARK: ANSI

    /// SGR parameters of this look on a colour terminal (`30;43;1`), emphasised with bold where
    /// `bold`; empty for the terminal's own look. Colours first, then attributes, in a fixed
    /// order, so that equal looks are equal strings.
    public func sgr(bold: Bool = false) -> String {
        var parameters: [Int] = []
        if let foreground { parameters.append(30 + Int(foreground.rawValue)) }
        if let background { parameters.append(40 + Int(background.rawValue)) }
        var attributes = self.attributes
        if bold { attributes.insert(.bold) }
        parameters += Self.sgrCodes(attributes)
        return parameters.map(String.init).joined(separator: ";")
    }

    /// SGR codes of attributes: bold 1, dim 2, underline 4, reverse 7.
    public static func sgrCodes(_ attributes: Attributes) -> [Int] {
        var codes: [Int] = []
        if attributes.contains(.bold) { codes.append(1) }
        if attributes.contains(.dim) { codes.append(2) }
        if attributes.contains(.underline) { codes.append(4) }
        if attributes.contains(.reverse) { codes.append(7) }
        return codes
    }

    /// The SGR of a cell: its role's look, emphasised where the cell is bold. Computed once per
    /// role and boldness, since every cell of every frame asks.
    public static func sgr(_ role: Role, bold: Bool = false) -> String {
        sgrTable[Int(role.rawValue) * 2 + (bold ? 1 : 0)]
    }

    private static let sgrTable: [String] = Role.allCases.flatMap { role in
        [of(role).sgr(bold: false), of(role).sgr(bold: true)]
    }

    // MARK: Legend

    /// The roles that carry a mark, in the order a legend names them.
    public static let markedRoles: [Role] = Role.allCases.filter { of($0).mark != nil }

    /// What a mark means, in a few words for the help screen's legend.
    public static func meaning(_ role: Role, language: Language) -> String? {
        switch (role, language) {
        case (.window, .en): return "operand"
        case (.window, .ja): return "演算対象"
        case (.source, .en): return "read"
        case (.source, .ja): return "読む元"
        case (.dest, .en): return "written"
        case (.dest, .ja): return "書く先"
        case (.argmax, .en): return "max"
        case (.argmax, .ja): return "最大"
        case (.accumulated, .en): return "added up"
        case (.accumulated, .ja): return "足し合わせ"
        case (.cursor, .en): return "cursor"
        case (.cursor, .ja): return "カーソル"
        case (.inspected, .en): return "picked"
        case (.inspected, .ja): return "選択"
        case (.lineage, .en): return "linked"
        case (.lineage, .ja): return "由来と行き先"
        default: return nil
        }
    }

    /// The roles only the inspector draws: its legend names them while it is on.
    public static let inspectorRoles: [Role] = [.cursor, .inspected, .lineage]

    /// The legend of the marks as one line (`* operand  < read  > written …`), with the column
    /// and role of each mark so that a front end can colour them as a grid does. The
    /// inspector's marks are named only `withInspector`, when they can be on screen.
    public static func legend(language: Language, withInspector: Bool = false) -> (text: String, marks: [(column: Int, role: Role)]) {
        var text = ""
        var marks: [(Int, Role)] = []
        for role in markedRoles where withInspector || !inspectorRoles.contains(role) {
            guard let mark = mark(role), let meaning = meaning(role, language: language) else { continue }
            if !text.isEmpty { text += "  " }
            marks.append((DisplayWidth.of(text), role))
            text += "\(mark) \(meaning)"
        }
        return (text, marks)
    }
}
