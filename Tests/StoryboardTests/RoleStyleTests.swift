import XCTest
import Storyboard
import TestSupport

/// The one table of looks, as the recordings show it.
final class RoleStyleTests: XCTestCase {
    func testEveryHighlightOfAGridHasItsMark() {
        let marks: [Role: Character] = [.dest: ">", .source: "<", .window: "*", .argmax: "^", .accumulated: "+",
                                        .cursor: "@", .inspected: "#", .lineage: "~"]
        for role in Role.allCases {
            XCTAssertEqual(RoleStyle.mark(role), marks[role], "\(role)")
        }
        XCTAssertEqual(RoleStyle.markedRoles, [.window, .source, .dest, .argmax, .accumulated, .cursor, .inspected, .lineage])
        XCTAssertTrue(marks.values.allSatisfy(\.isASCII), "marks survive every locale")
    }

    /// The pen a terminal ends up with for a role, written out from the table.
    private func pen(_ role: Role, bold: Bool) -> VirtualTerminal.Pen {
        let style = RoleStyle.of(role)
        var attributes = style.attributes
        if bold { attributes.insert(.bold) }
        let codes: [(Attributes, Int)] = [(.bold, 1), (.dim, 2), (.underline, 4), (.reverse, 7)]
        return VirtualTerminal.Pen(foreground: style.foreground.map { Int($0.rawValue) },
                                   background: style.background.map { Int($0.rawValue) },
                                   attributes: Set(codes.filter { attributes.contains($0.0) }.map(\.1)))
    }

    func testARecordingShowsEveryRoleInTheTablesColours() throws {
        let roles = Role.allCases
        let size = Size(width: 2 * roles.count + 4, height: 3)
        // Every role, plain and bold, then the same with the roles shifted by one, so that the
        // second frame is drawn through the diff.
        func frame(shift: Int) -> Frame {
            var frame = Frame(size: size)
            for (i, _) in roles.enumerated() {
                let role = roles[(i + shift) % roles.count]
                frame.put("x", row: 0, column: i, role: role)
                frame.put("y", row: 1, column: i, role: role, bold: true)
                frame.put("畳", row: 2, column: 2 * i, role: role)
            }
            return frame
        }
        for frames in [[frame(shift: 0)], [frame(shift: 0), frame(shift: 1)], [frame(shift: 3), frame(shift: 0)]] {
            var cast = Asciicast(header: .init(width: size.width, height: size.height))
            for f in frames { cast.append(f, holding: 1) }
            guard case .success(let parsed) = ParsedCast.parse(cast.document) else { return XCTFail("unreadable") }
            let screen = parsed.replay()
            XCTAssertEqual(screen.problems, [])
            let last = frames[frames.count - 1]
            for row in 0..<size.height {
                for column in 0..<size.width where !last[row, column].isContinuation {
                    let cell = last[row, column]
                    XCTAssertEqual(screen.pens[row][column], pen(cell.role, bold: cell.bold),
                                   "row \(row) column \(column): \(cell.role)\(cell.bold ? " bold" : "")")
                }
            }
        }
    }

    func testTheSGROfARoleIsItsTableEntry() {
        for role in Role.allCases {
            for bold in [false, true] {
                let sgr = TextRenderer.sgr(role, bold: bold)
                var replay = VirtualTerminal(width: 1, height: 1)
                replay.feed("\u{1B}[\(sgr)mx")
                XCTAssertEqual(replay.pens[0][0], pen(role, bold: bold), "\(role) \(sgr)")
                XCTAssertEqual(sgr.isEmpty, pen(role, bold: bold) == .plain, "\(role): an SGR only where there is a look")
            }
        }
    }

    func testTheLegendNamesEachMarkOnce() {
        for language in Language.allCases {
            let legend = RoleStyle.legend(language: language, withInspector: true)
            XCTAssertEqual(legend.marks.map(\.role), RoleStyle.markedRoles, "\(language)")
            let characters = Array(legend.text)
            for mark in legend.marks {
                // The legend's own characters are narrow up to the last mark in English; count
                // columns for Japanese.
                var column = 0
                var index = 0
                while column < mark.column {
                    column += DisplayWidth.of(characters[index])
                    index += 1
                }
                XCTAssertEqual(characters[index], RoleStyle.mark(mark.role), "\(language) \(mark.role)")
                XCTAssertNotNil(RoleStyle.meaning(mark.role, language: language))
                XCTAssertTrue(legend.text.contains("\(RoleStyle.mark(mark.role)!) \(RoleStyle.meaning(mark.role, language: language)!)"))
            }
        }
        XCTAssertEqual(RoleStyle.legend(language: .en).text, "* operand  < read  > written  ^ max  + added up")
        XCTAssertEqual(RoleStyle.legend(language: .en, withInspector: true).text,
                       "* operand  < read  > written  ^ max  + added up  @ cursor  # picked  ~ linked")
        XCTAssertEqual(RoleStyle.legend(language: .ja, withInspector: true).marks.map(\.role), RoleStyle.markedRoles)
    }
}
