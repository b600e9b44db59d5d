import Storyboard

/// The player's status line: what it says, and which parts give way on a narrow terminal.
///
/// From the left: the state (`|| paused`), the speed, the step, then the phase title, or a
/// notice after a key that changed nothing; at the right, the view and the language
/// (`numbers · EN`) and the key hint. The hint is never cut. When the line is too long, the
/// lower parts give way first: the speed, the state and the step take their short forms
/// (`2/s`, `||`, `5/50`) while the title has less than a comfortable room, then the
/// language, the title, the view, the speed and the state go, one by one. A notice is kept
/// whole before the view and language are. Text cut to fit ends in `…` (`...` without UTF-8),
/// never silently.
struct StatusLine {
    /// One run of text on the line.
    struct Piece: Equatable {
        var text: String
        var column: Int
        var role: Role
        var bold: Bool
    }

    /// A part with a long and a short form.
    struct Part {
        var full: String
        var short: String
        var role: Role
        var bold: Bool
    }

    var state: Part
    var speed: Part
    var position: Part
    /// The phase title, a note, or a notice: the part cut to the room that is left.
    var flexible: String?
    var flexibleIsNotice: Bool
    var view: String
    var language: String
    var separator: String
    var hint: String
    var asciiOnly: Bool

    /// Below this, a phase title is worth shortening the other parts for.
    static let comfortableTitle = 16

    init(model: PlayerModel, texts: Texts) {
        let options = model.options
        asciiOnly = options.asciiOnly
        state = model.playing
            ? Part(full: texts.playing, short: texts.playingShort, role: .heading, bold: true)
            : Part(full: texts.paused, short: texts.pausedShort, role: .heading, bold: true)
        let speed = Texts.speed(model.stepsPerSecond)
        self.speed = Part(full: "\(speed) \(texts.stepsPerSecond)", short: speed + texts.stepsPerSecondShort,
                          role: .plain, bold: false)
        let count = "\(model.step + 1)/\(max(1, model.source.stepCount))"
        position = Part(full: "\(texts.step) \(count)", short: count, role: .plain, bold: true)
        if let notice = model.notice {
            flexible = texts.say(notice)
            flexibleIsNotice = true
        } else if let inspection = options.inspection {
            // The selected cell, and the cursor where it is elsewhere.
            let source = model.source
            var said = texts.inspect + ": " + (inspection.selected.flatMap(source.cellName) ?? "-")
            if inspection.cursor != inspection.selected, let cursor = source.cellName(inspection.cursor) {
                said += "  " + texts.cursor + " " + cursor
            }
            flexible = said
            flexibleIsNotice = false
        } else if options.languageShown != options.language {
            // Without UTF-8 Japanese comes out as question marks: say why instead of the title.
            flexible = "Japanese needs a UTF-8 locale (LANG=ja_JP.UTF-8)"
            flexibleIsNotice = true
        } else {
            let phases = model.source.phases
            flexible = phases.isEmpty ? nil
                : phases[model.source.phaseIndex(ofStep: model.step)].title(texts.language)
            flexibleIsNotice = false
        }
        view = options.symbols ? texts.symbols : texts.numbers
        language = texts.languageName
        separator = options.asciiOnly ? " - " : " · "
        hint = texts.hint
    }

    private enum Form { case full, short, gone }

    /// Which form each part takes.
    private struct Layout {
        var state = Form.full
        var speed = Form.full
        var position = Form.full
        var flexible = true
        var view = true
        var language = true
    }

    private func text(_ part: Part, _ form: Form) -> String? {
        switch form {
        case .full: return part.full
        case .short: return part.short
        case .gone: return nil
        }
    }

    private func left(_ layout: Layout) -> [(String, Part)] {
        [(state, layout.state), (speed, layout.speed), (position, layout.position)].compactMap { part, form in
            text(part, form).map { ($0, part) }
        }
    }

    private func right(_ layout: Layout) -> String {
        [layout.view ? view : nil, layout.language ? language : nil].compactMap { $0 }.joined(separator: separator)
    }

    /// Columns everything but the flexible part takes, with two spaces between parts and at
    /// least two before the right side.
    private func fixedWidth(_ layout: Layout) -> Int {
        let lefts = left(layout).map { DisplayWidth.of($0.0) }
        var width = lefts.reduce(0, +) + 2 * max(0, lefts.count - 1)
        if layout.flexible, flexible != nil, !lefts.isEmpty { width += 2 }
        let right = DisplayWidth.of(right(layout))
        width += 2 + (right > 0 ? right + 2 : 0) + DisplayWidth.of(hint)
        return width
    }

    private func layout(width: Int) -> Layout {
        var layout = Layout()
        layout.flexible = flexible != nil
        let whole = flexible.map { DisplayWidth.of($0) } ?? 0
        let comfortable = flexibleIsNotice ? whole : min(whole, Self.comfortableTitle)
        let least = min(whole, flexibleIsNotice ? 8 : 4)
        // (room the flexible part should have, the change that gives it more), in order.
        var stages: [(Int, (inout Layout) -> Void)] = [
            (whole, { $0.speed = .short }),
            (comfortable, { $0.state = .short }),
            (comfortable, { $0.position = .short }),
        ]
        if flexibleIsNotice {
            stages += [
                (whole, { $0.language = false }),
                (whole, { $0.view = false }),
                (least, { $0.speed = .gone }),
                (least, { $0.state = .gone }),
                (least, { $0.flexible = false }),
            ]
        } else {
            stages += [
                (least, { $0.language = false }),
                (least, { $0.flexible = false }),
                (0, { $0.view = false }),
                (0, { $0.speed = .gone }),
                (0, { $0.state = .gone }),
            ]
        }
        for (wanted, change) in stages {
            let room = width - fixedWidth(layout)
            let short = layout.flexible ? room < wanted : room < 0
            if short { change(&layout) }
        }
        return layout
    }

    /// `text` cut to `width` columns, ending in `…` (or `...`) when cut.
    func cut(_ text: String, to width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        guard asciiOnly else { return DisplayWidth.truncate(text, to: width) }
        guard width > 3 else { return String(repeating: ".", count: max(0, width)) }
        return String(DisplayWidth.truncate(text, to: width - 2).dropLast()) + "..."
    }

    /// The line for a terminal `width` columns wide.
    func pieces(width: Int) -> [Piece] {
        let layout = layout(width: width)
        let hintWidth = DisplayWidth.of(hint)
        var pieces: [Piece] = []
        var x = 0
        let room = width - fixedWidth(layout)
        if room < 0 {
            // Only the step is left and still too long: it is cut, and the hint goes only when
            // there would be nothing of the step left.
            let keepHint = width - hintWidth - 2 >= 4
            let limit = keepHint ? width - hintWidth - 2 : width
            for (text, part) in left(layout) where x < limit {
                let shown = cut((x > 0 ? "  " : "") + text, to: limit - x)
                pieces.append(Piece(text: shown, column: x, role: part.role, bold: part.bold))
                x += DisplayWidth.of(shown)
            }
            if keepHint { pieces.append(Piece(text: hint, column: width - hintWidth, role: .dim, bold: false)) }
            return pieces
        }
        for (text, part) in left(layout) {
            if x > 0 { x += 2 }
            pieces.append(Piece(text: text, column: x, role: part.role, bold: part.bold))
            x += DisplayWidth.of(text)
        }
        if layout.flexible, let flexible {
            if x > 0 { x += 2 }
            pieces.append(Piece(text: cut(flexible, to: room), column: x,
                                role: flexibleIsNotice ? .warning : .heading, bold: flexibleIsNotice))
        }
        let right = right(layout)
        if !right.isEmpty {
            let column = width - hintWidth - 2 - DisplayWidth.of(right)
            pieces.append(Piece(text: right, column: column, role: .plain, bold: false))
        }
        pieces.append(Piece(text: hint, column: width - hintWidth, role: .dim, bold: false))
        return pieces
    }
}
