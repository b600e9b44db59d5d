import XCTest
@testable import Storyboard

final class MarkupRendererTests: XCTestCase {
    /// Text is escaped for XML, a wide character takes two columns (the next character is
    /// placed two cells on), and a role with a background gets a rectangle under its cells.
    func testEscapingWideCharactersAndBackgrounds() {
        var frame = Frame(size: Size(width: 20, height: 2))
        frame.put("a&b<c>\"d'", row: 0, column: 0)
        frame.put("畳x", row: 1, column: 0, role: .dest, bold: true)
        let svg = MarkupRenderer.svg(frame)
        XCTAssertTrue(svg.contains(">a&amp;b&lt;c&gt;&quot;d&apos;</tspan>"), svg)
        XCTAssertTrue(svg.contains("<tspan x=\"0\" fill=\"#000000\" font-weight=\"bold\">畳</tspan>"), svg)
        XCTAssertTrue(svg.contains("<tspan x=\"\(2 * MarkupRenderer.cellWidth)\" fill=\"#000000\" font-weight=\"bold\">x</tspan>"), svg)
        let dest = RoleStyle.of(.dest).background!.hex
        XCTAssertTrue(svg.contains("<rect x=\"0\" y=\"\(MarkupRenderer.lineHeight)\" width=\"\(3 * MarkupRenderer.cellWidth)\""
                                   + " height=\"\(MarkupRenderer.lineHeight)\" fill=\"\(dest)\"/>"), svg)
        let html = MarkupRenderer.html(frame)
        XCTAssertTrue(html.contains(">a&amp;b&lt;c&gt;&quot;d&apos;\n"), html)
        XCTAssertTrue(html.contains("<span style=\"color:#000000;background:\(dest);font-weight:bold\">畳x</span></pre>"), html)
    }
}
