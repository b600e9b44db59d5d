import XCTest
import Foundation
import Storyboard
@testable import Terminal

final class StylesAndInputTests: XCTestCase {
    private let highlights: [Role] = [.window, .source, .dest, .argmax, .accumulated, .padding, .done]

    func testEveryHighlightIsDistinguishableWithoutColour() {
        let looks = highlights.map(RoleStyle.monochrome)
        XCTAssertEqual(Set(looks).count, highlights.count, "two highlights look the same: \(looks)")
        for role in highlights {
            XCTAssertNotEqual(RoleStyle.monochrome(role), RoleStyle.monochrome(.plain), "\(role)")
            XCTAssertNotEqual(RoleStyle.monochrome(role), RoleStyle.monochrome(.dim), "\(role)")
        }
        XCTAssertNotEqual(RoleStyle.monochrome(.warning), RoleStyle.monochrome(.plain))
        XCTAssertNotEqual(RoleStyle.monochrome(.heading), RoleStyle.monochrome(.plain))
        XCTAssertNotEqual(RoleStyle.monochrome(.code), RoleStyle.monochrome(.plain))
    }

    func testEveryHighlightHasItsOwnColours() {
        let looks = highlights.map { role -> [Int16] in
            let look = CursesLook.of(role)
            return [look.foreground, look.background]
        }
        XCTAssertEqual(Set(looks).count, highlights.count, "\(looks)")
        let plain = CursesLook.of(.plain)
        XCTAssertEqual(plain.foreground, -1, "plain text keeps the terminal's own colours")
        XCTAssertEqual(plain.background, -1)
        for role in Role.allCases {
            let look = CursesLook.of(role)
            XCTAssertTrue((-1...7).contains(look.foreground) && (-1...7).contains(look.background),
                          "\(role) uses a colour an 8-colour terminal lacks")
            XCTAssertTrue(look.foreground != look.background || look.foreground == -1,
                          "\(role) would be invisible")
            let fallback = CursesLook.of(role, defaultColours: false)
            XCTAssertTrue((0...7).contains(fallback.foreground) && (0...7).contains(fallback.background),
                          "without default colours every pair names real colours")
            XCTAssertNotEqual(fallback.foreground, fallback.background, "\(role) would be invisible")
        }
    }

    func testCharacterInput() {
        XCTAssertEqual(CursesTerminal.event(character: 0x20), .key(.character(" ")))
        XCTAssertEqual(CursesTerminal.event(character: 0x4C), .key(.character("L")))
        XCTAssertEqual(CursesTerminal.event(character: 27), .key(.escape))
        XCTAssertEqual(CursesTerminal.event(character: 10), .key(.enter))
        XCTAssertEqual(CursesTerminal.event(character: 13), .key(.enter))
        XCTAssertEqual(CursesTerminal.event(character: 127), .key(.backspace))
        XCTAssertEqual(CursesTerminal.event(character: 8), .key(.backspace))
        XCTAssertEqual(CursesTerminal.event(character: 12), .key(.redraw))
        XCTAssertEqual(CursesTerminal.event(character: 1), .idle, "other control characters mean nothing")
        XCTAssertEqual(CursesTerminal.event(character: 0x3042), .key(.character("あ")))
    }

    func testFunctionKeyInput() {
        // The ncurses key codes, as curses.h numbers them.
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o404), .key(.left))
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o405), .key(.right))
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o406), .key(.home))
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o550), .key(.end))
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o407), .key(.backspace))
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o527), .key(.enter))
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o632), .resize)
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o522), .key(.pageDown), "KEY_NPAGE")
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o523), .key(.pageUp), "KEY_PPAGE")
        XCTAssertEqual(CursesTerminal.event(keyCode: 0o411), .idle, "F1 means nothing")
    }

    func testProblemStartingOutsideATerminalNamesTheStream() {
        // The test runner's stdin or stdout is a pipe or a file, never the player's terminal.
        guard isatty(0) == 0 || isatty(1) == 0 else { return }
        let problem = Player.problemStarting(environment: ["TERM": "xterm"])
        XCTAssertNotNil(problem)
        XCTAssertTrue(problem!.contains("not a terminal"), problem!)
        XCTAssertFalse(problem!.hasSuffix("."), "the caller goes on after the sentence")
        XCTAssertEqual(Player.cannotStart(problem!), "tatami: \(problem!); use `tatami render` for plain text.")
    }

    func testUnusableTermSentences() {
        XCTAssertTrue(Player.unusableTerm(nil).hasPrefix("TERM is not set"))
        XCTAssertTrue(Player.unusableTerm("").hasPrefix("TERM is not set"))
        XCTAssertTrue(Player.unusableTerm("dumb").hasPrefix("TERM=dumb cannot move the cursor"))
        let unknown = Player.unusableTerm("no-such-terminal")
        XCTAssertTrue(unknown.hasPrefix("TERM=no-such-terminal is not"), unknown)
        for sentence in [Player.unusableTerm(nil), Player.unusableTerm("dumb"), unknown] {
            XCTAssertFalse(sentence.contains("\n"), "one line: \(sentence)")
        }
    }

    func testSpeedsPrintWithoutPointlessDecimals() {
        XCTAssertEqual(Texts.speed(2), "2")
        XCTAssertEqual(Texts.speed(0.5), "0.5")
        XCTAssertEqual(Texts.speed(16), "16")
    }
}
