import Storyboard

/// Composes what the whole terminal shows: the source's frame above, the player's status line
/// on the last row, and the help, prompt, question or too-small screens. Pure, so that every
/// screen the player can show is testable as text.
public enum Screen {
    /// The size of the area the source draws into on a terminal of `terminal` size: all but
    /// the status line.
    public static func sourceArea(of terminal: Size) -> Size {
        Size(width: max(0, terminal.width), height: max(0, terminal.height - 1))
    }

    /// The whole-terminal size that gives the source its minimum area.
    public static func requiredTerminal(for source: any FrameSource) -> Size {
        Size(width: source.minimumSize.width, height: source.minimumSize.height + 1)
    }

    public static func fits(_ source: any FrameSource, in terminal: Size) -> Bool {
        let area = sourceArea(of: terminal)
        return area.width >= max(1, source.minimumSize.width)
            && area.height >= max(1, source.minimumSize.height)
    }

    /// Everything the terminal shows for `model` on a terminal of `size`.
    public static func compose(_ model: PlayerModel, size: Size) -> Frame {
        guard size.width > 0, size.height > 0 else { return Frame(size: Size(width: 0, height: 0)) }
        guard fits(model.source, in: size) else {
            return tooSmall(need: requiredTerminal(for: model.source), have: size, options: model.options)
        }
        var screen = Frame(size: size)
        let area = sourceArea(of: size)
        let frame = model.source.frame(at: model.step, size: area, options: model.options)
        blit(frame, into: &screen, height: area.height)
        drawStatusLine(model, into: &screen, row: size.height - 1)
        switch model.overlay {
        case .none, .goTo:
            break
        case .help:
            drawHelp(options: model.options, live: model.live != nil, into: &screen)
        case .question(let session):
            drawQuestion(session, options: model.options, into: &screen)
        case .score(let score):
            let words = QuestionWords(model.options.languageShown)
            let inner = max(10, min(60, size.width - 6))
            drawBox(title: words.scoreTitle, lines: TextWrap.lines(score.text(model.options.languageShown), width: inner) + ["", words.close],
                    footerLines: 1, options: model.options, into: &screen)
        }
        return screen
    }

    /// The screen shown instead of a squeezed frame.
    public static func tooSmall(need: Size, have: Size, options: ViewOptions) -> Frame {
        var screen = Frame(size: have)
        let texts = Texts.of(options)
        let times = options.asciiOnly ? Frame.asciiLookAlike("×") : "×"
        let lines = [
            "\(texts.tooSmall) \(need.width)\(times)\(need.height)",
            "\(texts.current) \(have.width)\(times)\(have.height)",
            "q: \(texts.keys.last!.1)",
        ]
        let top = max(0, (have.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            // Left-aligned when it does not fit, so that the numbers are the part that shows.
            let width = DisplayWidth.of(line)
            let column = max(0, (have.width - width) / 2)
            screen.put(line, row: top + i, column: column, role: i == 0 ? .warning : .plain, bold: i == 0)
        }
        return screen
    }

    /// Copies `frame` into the top of `screen`, clipped: a source that returns a frame of the
    /// wrong size must not make the player draw outside the terminal.
    static func blit(_ frame: Frame, into screen: inout Frame, height: Int) {
        let rows = min(height, frame.size.height)
        let columns = min(screen.size.width, frame.size.width)
        for row in 0..<max(0, rows) {
            for column in 0..<max(0, columns) {
                var cell = frame[row, column]
                // A wide character cut off at the right edge would spill past it.
                if column == columns - 1, !cell.isContinuation, DisplayWidth.of(cell.character) == 2 {
                    cell = Cell(" ", role: cell.role)
                }
                if column == 0, cell.isContinuation { cell = Cell(" ", role: cell.role) }
                screen[row, column] = cell
            }
        }
    }

    static func drawStatusLine(_ model: PlayerModel, into screen: inout Frame, row: Int) {
        let texts = Texts.of(model.options)
        let width = screen.size.width
        screen.paint(row: row, column: 0, width: width, role: .dim)
        if case .goTo(let digits) = model.overlay {
            let range = "1-\(max(1, model.source.stepCount))"
            var x = screen.put("\(texts.goToPrompt) (\(range)): ", row: row, column: 0, role: .heading, bold: true)
            x = screen.put(digits + "_", row: row, column: x, role: .plain, bold: true)
            // A key the prompt cannot take says why in place of the hint.
            if let notice = model.notice {
                let status = StatusLine(model: model, texts: texts)
                screen.put("   " + status.cut(texts.say(notice), to: max(0, width - x - 3)), row: row, column: x,
                           role: .warning, bold: true)
            } else {
                screen.put("   " + texts.goToHint, row: row, column: x, role: .dim)
            }
            return
        }
        for piece in StatusLine(model: model, texts: texts).pieces(width: width) {
            screen.put(piece.text, row: row, column: piece.column, role: piece.role, bold: piece.bold)
        }
    }

    static func drawHelp(options: ViewOptions, live: Bool = false, into screen: inout Frame) {
        let texts = Texts.of(options)
        // Free play lists its live keys before `?` and `q`.
        let keys = live ? texts.keys.dropLast(2) + texts.liveKeys + texts.keys.suffix(2) : texts.keys
        let keyWidth = keys.map { DisplayWidth.of($0.0) }.max() ?? 0
        var lines = keys.map { key, meaning in
            key + String(repeating: " ", count: keyWidth - DisplayWidth.of(key) + 3) + meaning
        }
        // The marks grids write before highlighted cells, in their roles' colours: both from
        // `RoleStyle`, as the grids take them. Japanese needs UTF-8, as for the keys.
        let legend = RoleStyle.legend(language: options.languageShown, withInspector: options.inspection != nil)
        lines.append("")
        let legendLine = lines.count
        lines.append(legend.text)
        lines.append("")
        lines.append(texts.helpFooter)
        guard let origin = drawBox(title: texts.helpTitle, lines: lines, footerLines: 1, options: options,
                                   into: &screen) else { return }
        let row = origin.row + legendLine
        guard row < origin.row + origin.rows else { return }
        for mark in legend.marks where mark.column < origin.width {
            screen.paint(row: row, column: origin.column + mark.column, width: 1, role: mark.role)
        }
    }

    /// The question box: the prompt (and choices), the typed answer, what the last try got
    /// (the hint after a wrong one, the answer once shown), and the keys.
    static func drawQuestion(_ session: QuestionSession, options: ViewOptions, into screen: inout Frame) {
        let words = QuestionWords(options.languageShown)
        let texts = Texts.of(options)
        let inner = max(10, min(60, screen.size.width - 6))
        var lines = session.question.promptWithChoices.split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { TextWrap.lines(String($0), width: inner) }
        lines.append("")
        if session.isCheckable {
            if !session.isClosed { lines.append(words.answerLabel + session.typed + "_") }
            switch session.feedback {
            case .right?: lines.append(words.right)
            case .wrong(let hint, let left)?:
                lines.append(words.wrong(left: left))
                if !hint.isEmpty { lines += TextWrap.lines(words.hint + hint, width: inner) }
            case .revealed(let answer)?: lines += TextWrap.lines(words.shown(answer), width: inner)
            case .unreadable(let why)?: lines += TextWrap.lines(words.unreadable(why), width: inner)
            case nil: break
            }
            lines.append("")
            if session.asksForCells { lines.append(words.pickKey) }
            lines.append(session.isClosed ? texts.questionFooter : words.openKeys)
        } else {
            lines.append(texts.questionFooter + words.later)
        }
        drawBox(title: texts.questionTitle, lines: lines, footerLines: 1, options: options, into: &screen)
    }

    /// A bordered box in the middle of the area above the status line. Returns where its first
    /// line starts and how many rows and columns of lines it shows, or nil when there is no room.
    @discardableResult
    static func drawBox(title: String, lines: [String], footerLines: Int, options: ViewOptions,
                        into screen: inout Frame) -> (row: Int, column: Int, rows: Int, width: Int)? {
        let area = sourceArea(of: screen.size)
        let content = max(DisplayWidth.of(title), lines.map { DisplayWidth.of($0) }.max() ?? 0)
        let boxWidth = min(area.width, content + 4)
        let boxHeight = min(area.height, lines.count + 2)
        guard boxWidth >= 4, boxHeight >= 3 else { return nil }
        let left = (area.width - boxWidth) / 2
        let top = (area.height - boxHeight) / 2
        let (h, v, tl, tr, bl, br) = options.asciiOnly
            ? ("-", "|", "+", "+", "+", "+")
            : ("─", "│", "┌", "┐", "└", "┘")
        let blank = String(repeating: " ", count: boxWidth - 2)
        // Clear the whole box first, including halves of wide characters under its edges.
        for row in top..<(top + boxHeight) {
            if left > 0, screen[row, left].isContinuation { screen[row, left - 1] = Cell() }
            let right = left + boxWidth
            if right < screen.size.width, screen[row, right].isContinuation { screen[row, right] = Cell() }
            screen.put(v + blank + v, row: row, column: left, role: .heading)
        }
        screen.put(tl + String(repeating: h, count: boxWidth - 2) + tr, row: top, column: left, role: .heading)
        screen.put(bl + String(repeating: h, count: boxWidth - 2) + br, row: top + boxHeight - 1,
                   column: left, role: .heading)
        screen.put(" \(title) ", row: top, column: left + 2, role: .heading, bold: true, maxWidth: boxWidth - 4)
        for (i, line) in lines.prefix(boxHeight - 2).enumerated() {
            let isFooter = i >= lines.count - footerLines
            screen.put(line, row: top + 1 + i, column: left + 2, role: isFooter ? .dim : .narration,
                       maxWidth: boxWidth - 4)
        }
        return (top + 1, left + 2, boxHeight - 2, boxWidth - 4)
    }
}
