import XCTest
import Storyboard
@testable import Terminal

/// One table of looks for every front end: what `render --color always` (and so a recording)
/// writes for a role and what the curses player sets up for it must be the same colours and
/// attributes, read from `RoleStyle`. The SGR is read back with a parser written here, not with
/// the code under test.
final class OneLookTests: XCTestCase {
    /// A look as a terminal ends up showing it: colours 0–7 (nil for the terminal's own) and
    /// attributes.
    struct Shown: Equatable, CustomStringConvertible {
        var foreground: Int?
        var background: Int?
        var attributes: Attributes
        var description: String {
            "fg \(foreground.map(String.init) ?? "default") bg \(background.map(String.init) ?? "default") attributes \(attributes.rawValue)"
        }
    }

    /// The look of every column of the first line of `ansi`, reading SGR sequences as a
    /// terminal would.
    static func looks(ofANSI ansi: Substring) -> [Shown] {
        var shown: [Shown] = []
        var current = Shown(foreground: nil, background: nil, attributes: [])
        var characters = ansi[...]
        while let ch = characters.popFirst() {
            guard ch == "\u{1B}" else {
                if ch == "\n" { break }
                shown.append(current)
                continue
            }
            XCTAssertEqual(characters.popFirst(), "[")
            var parameters = ""
            while let c = characters.popFirst(), c != "m" {
                XCTAssertTrue(c.isNumber || c == ";", "only SGR sequences are expected, found \(c)")
                parameters.append(c)
            }
            var codes = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }[...]
            while let code = codes.popFirst() {
                switch code {
                case 0: current = Shown(foreground: nil, background: nil, attributes: [])
                case 1: current.attributes.insert(.bold)
                case 2: current.attributes.insert(.dim)
                case 4: current.attributes.insert(.underline)
                case 7: current.attributes.insert(.reverse)
                case 22: current.attributes.subtract([.bold, .dim])
                case 24: current.attributes.remove(.underline)
                case 27: current.attributes.remove(.reverse)
                case 30...37: current.foreground = code - 30
                case 39: current.foreground = nil
                case 40...47: current.background = code - 40
                case 49: current.background = nil
                // Bright and 256-colour forms are kept apart from the eight, so that they differ.
                case 90...97: current.foreground = code - 90 + 8
                case 100...107: current.background = code - 100 + 8
                case 38, 48:
                    _ = codes.popFirst()
                    let n = codes.popFirst() ?? 0
                    if code == 38 { current.foreground = n } else { current.background = n }
                default: XCTFail("unexpected SGR code \(code) in \(parameters)")
                }
            }
        }
        return shown
    }

    /// What the curses player sets up for a cell, as a terminal shows it.
    static func shown(_ look: CursesLook) -> Shown {
        Shown(foreground: look.foreground < 0 ? nil : Int(look.foreground),
              background: look.background < 0 ? nil : Int(look.background),
              attributes: look.attributes)
    }

    /// The table's own entry for a role.
    static func table(_ role: Role, bold: Bool) -> Shown {
        let style = RoleStyle.of(role)
        return Shown(foreground: style.foreground.map { Int($0.rawValue) },
                     background: style.background.map { Int($0.rawValue) },
                     attributes: bold ? style.attributes.union(.bold) : style.attributes)
    }

    func testTheANSIRendererAndTheCursesPlayerShowEveryRoleAlike() {
        for role in Role.allCases {
            for bold in [false, true] {
                var frame = Frame(size: Size(width: 4, height: 1))
                frame.put("a", row: 0, column: 0)
                frame.put("x", row: 0, column: 1, role: role, bold: bold)
                frame.put("b", row: 0, column: 2)
                let looks = Self.looks(ofANSI: TextRenderer.ansi(frame)[...])
                XCTAssertEqual(looks.count, 3, "\(role)")
                guard looks.count == 3 else { continue }
                let ansi = looks[1]
                let curses = Self.shown(CursesLook.of(role, bold: bold))
                XCTAssertEqual(ansi, curses, "\(role)\(bold ? " bold" : ""): render --color always and the player differ")
                XCTAssertEqual(ansi, Self.table(role, bold: bold), "\(role): the ANSI renderer strays from the table")
                XCTAssertEqual(looks[0], Shown(foreground: nil, background: nil, attributes: []), "plain before \(role)")
                XCTAssertEqual(looks[2], looks[0], "the look ends with the cell of \(role)")
                XCTAssertEqual(CursesLook.pair(role), Int16(role.rawValue) + 1, "each role its own colour pair")
            }
        }
        XCTAssertEqual(Set(Role.allCases.map(CursesLook.pair)).count, Role.allCases.count)
    }

    func testWithoutColourThePlayerUsesTheTablesMonochromeAttributes() {
        for role in Role.allCases {
            XCTAssertEqual(CursesLook.of(role, colour: false),
                           CursesLook(foreground: -1, background: -1, attributes: RoleStyle.monochrome(role)), "\(role)")
            XCTAssertEqual(CursesLook.of(role, bold: true, colour: false).attributes,
                           RoleStyle.monochrome(role).union(.bold), "\(role) bold")
        }
    }

    func testWithoutDefaultColoursOnlyTheTerminalsOwnColoursAreReplaced() {
        for role in Role.allCases {
            let style = RoleStyle.of(role)
            let look = CursesLook.of(role, defaultColours: false)
            XCTAssertEqual(look.foreground, style.foreground?.rawValue ?? Colour.white.rawValue, "\(role)")
            XCTAssertEqual(look.background, style.background?.rawValue ?? Colour.black.rawValue, "\(role)")
            XCTAssertEqual(look.attributes, style.attributes, "\(role)")
        }
    }

    func testTheHelpShowsTheLegendOfTheMarksInTheirColours() {
        for (keys, language) in [("?", Language.en), ("L?", Language.ja)] {
            var model = PlayerModel()
            model.type(keys)
            let screen = Screen.compose(model, size: Size(width: 80, height: 24))
            let legend = RoleStyle.legend(language: language)
            let row = (0..<screen.size.height).first { screen.line($0).contains(legend.text) }
            guard let row else {
                XCTFail("the help lacks the legend \(legend.text):\n\(screen.text)")
                continue
            }
            let start = screen.line(row).distance(to: legend.text)
            for mark in legend.marks {
                let cell = screen[row, start + mark.column]
                XCTAssertEqual(cell.character, RoleStyle.mark(mark.role), "\(language)")
                XCTAssertEqual(cell.role, mark.role, "the mark of \(mark.role) in its colours (\(language))")
            }
        }
    }
}

private extension String {
    /// The display column where `part` starts.
    func distance(to part: String) -> Int {
        guard let range = range(of: part) else { return -1 }
        return DisplayWidth.of(String(self[..<range.lowerBound]))
    }
}
