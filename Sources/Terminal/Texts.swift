import Storyboard

/// Everything the player itself writes on screen, in both languages. The storyboard owns the
/// lesson's words; these are only the player's own.
struct Texts: Sendable {
    /// The language these texts are in: English where Japanese cannot be shown.
    var language: Language
    var playing: String
    var paused: String
    /// What stands for `playing` and `paused` on a narrow status line.
    var playingShort: String
    var pausedShort: String
    var stepsPerSecond: String
    /// `/s`: the unit after a speed on a narrow status line.
    var stepsPerSecondShort: String
    var step: String
    /// The two views, as the status line names the one on.
    var numbers: String
    var symbols: String
    /// The lesson's language as the status line names it.
    var languageName: String
    var hint: String
    var helpTitle: String
    var helpFooter: String
    /// (keys, meaning) in the order the README lists the keys.
    var keys: [(String, String)]
    var goToPrompt: String
    var goToHint: String
    var questionTitle: String
    var questionFooter: String
    var tooSmall: String
    var current: String
    /// `inspect`: how the status line names the inspected cell, and the cursor beside it.
    var inspect: String
    var cursor: String
    /// The keys free play adds, listed in its help.
    var liveKeys: [(String, String)]

    /// The texts for `options`: their language where it can be shown, ASCII where asked.
    static func of(_ options: ViewOptions) -> Texts {
        of(options.language, asciiOnly: options.asciiOnly, keepsJapanese: options.keepsJapanese)
    }

    static func of(_ language: Language, asciiOnly: Bool, keepsJapanese: Bool = false) -> Texts {
        let right = asciiOnly ? "Right" : "→"
        let left = asciiOnly ? "Left" : "←"
        // Japanese cannot be shown without a UTF-8 locale; the English words are then better
        // than question marks.
        switch asciiOnly && !keepsJapanese ? .en : language {
        case .en:
            return Texts(
                language: .en,
                playing: "> playing", paused: "|| paused", playingShort: ">", pausedShort: "||",
                stepsPerSecond: "steps/s", stepsPerSecondShort: "/s",
                step: "step", numbers: "numbers", symbols: "symbols",
                // Japanese without UTF-8 is still Japanese narration asked for, shown as a note.
                languageName: language == .ja ? "JA" : "EN",
                hint: "? help  q quit",
                helpTitle: "Keys", helpFooter: "press any key to close",
                keys: [
                    ("space", "play / pause"),
                    ("\(right)  l", "next step"),
                    ("\(left)  h", "previous step"),
                    ("]  [", "next / previous phase"),
                    ("+  -", "faster / slower"),
                    ("g", "go to step"),
                    ("Home  End", "first / last step"),
                    ("PgDn  PgUp", "scroll the narration"),
                    ("b  m", "more blocks / legend on screen"),
                    ("v  c", "numbers / symbols, code pane"),
                    ("i", "inspect a cell (arrows, Tab, Enter, click; Esc)"),
                    ("L", asciiOnly && !keepsJapanese ? "language (English / Japanese)" : "language (English / 日本語)"),
                    ("?", "this help"),
                    ("q", "quit"),
                ],
                goToPrompt: "go to step", goToHint: "Enter go  Esc cancel",
                questionTitle: "Question", questionFooter: "press any key to see the step",
                tooSmall: "terminal too small: need", current: "now",
                inspect: "inspect", cursor: "cursor",
                liveKeys: [("s S  p P  d D", "stride, pad, dilation: less / more"),
                           ("f F  x X", "filter or pool window, input: smaller / larger")])
        case .ja:
            return Texts(
                language: .ja,
                playing: "> 再生中", paused: "|| 一時停止", playingShort: ">", pausedShort: "||",
                stepsPerSecond: "ステップ/秒", stepsPerSecondShort: "/秒",
                step: "ステップ", numbers: "数値", symbols: "記号", languageName: "日本語",
                hint: "? ヘルプ  q 終了",
                helpTitle: "キー操作", helpFooter: "何かキーを押すと閉じます",
                keys: [
                    ("space", "再生 / 一時停止"),
                    ("\(right)  l", "次のステップ"),
                    ("\(left)  h", "前のステップ"),
                    ("]  [", "次 / 前のフェーズ"),
                    ("+  -", "速く / 遅く"),
                    ("g", "ステップへ移動"),
                    ("Home  End", "最初 / 最後のステップ"),
                    ("PgDn  PgUp", "説明文のスクロール"),
                    ("b  m", "次のブロック / 凡例の表示"),
                    ("v  c", "数値 / 記号、コード表示"),
                    ("i", "セルを調べる (矢印 Tab Enter クリック, Esc)"),
                    ("L", "言語 (English / 日本語)"),
                    ("?", "このヘルプ"),
                    ("q", "終了"),
                ],
                goToPrompt: "ステップへ移動", goToHint: "Enter 移動  Esc 取消",
                questionTitle: "問題", questionFooter: "何かキーを押すとステップを表示します",
                tooSmall: "端末が小さすぎます: 必要な大きさ", current: "現在",
                inspect: "調べる", cursor: "カーソル",
                liveKeys: [("s S  p P  d D", "stride・pad・dilation を小さく / 大きく"),
                           ("f F  x X", "フィルタ・プーリング窓、入力を小さく / 大きく")])
        }
    }

    /// What the status line says for `notice`: short enough to show whole on a 64-column
    /// status line beside the state, speed, step and key hint.
    func say(_ notice: Notice) -> String {
        switch (notice, language) {
        case (.atFirstStep, .en): return "already at the first step"
        case (.atFirstStep, .ja): return "最初のステップです"
        case (.atLastStep, .en): return "already at the last step"
        case (.atLastStep, .ja): return "最後のステップです"
        case (.alreadyAtStep(let n), .en): return "already at step \(n)"
        case (.alreadyAtStep(let n), .ja): return "すでにステップ \(n) です"
        case (.fastest(let s), .en): return "\(Self.speed(s)) \(stepsPerSecond) is the fastest"
        case (.fastest, .ja): return "これ以上速くできません"
        case (.slowest(let s), .en): return "\(Self.speed(s)) \(stepsPerSecond) is the slowest"
        case (.slowest, .ja): return "これ以上遅くできません"
        case (.onlyOneStep, .en): return "one step only: nothing to play"
        case (.onlyOneStep, .ja): return "ステップが 1 つだけです"
        case (.sameInBothViews(true), .en): return "symbols: nothing to name here"
        case (.sameInBothViews(true), .ja): return "記号: ここでは数値と同じ"
        case (.sameInBothViews(false), .en): return "numbers: same as symbols here"
        case (.sameInBothViews(false), .ja): return "数値: ここでは記号と同じ"
        case (.codePaneChangesNothing, .en): return "code pane: no change here"
        case (.codePaneChangesNothing, .ja): return "コード: ここでは変化なし"
        case (.narrationAllShown, .en): return "narration: all of it is shown"
        case (.narrationAllShown, .ja): return "説明: すべて表示済み"
        case (.narrationAtEnd, .en): return "narration: no more below"
        case (.narrationAtEnd, .ja): return "説明: これ以上ありません"
        case (.everyBlockShown, .en): return "blocks: every block is on screen"
        case (.everyBlockShown, .ja): return "ブロック: すべて表示済み"
        case (.narrationAtTop, .en): return "narration: already at the top"
        case (.narrationAtTop, .ja): return "説明: 先頭です"
        case (.unknownKey(let key), .en): return "\(key) is not a key here"
        case (.unknownKey(let key), .ja): return "\(key) キーは使いません"
        case (.stepNumbersOnly(let count), .en): return "type a step number from 1 to \(max(1, count))"
        case (.stepNumbersOnly(let count), .ja): return "1 から \(max(1, count)) のステップ番号を入力"
        case (.noSuchStep(let n, let count), .en):
            return n < 1 ? "no step \(n): the first is 1" : "no step \(n): the last is \(max(1, count))"
        case (.nothingToInspect, .en): return "no cell on screen to inspect"
        case (.nothingToInspect, .ja): return "調べられるセルが画面にありません"
        case (.cursorAtEdge, .en): return "edge of the tensor: Tab for the next"
        case (.cursorAtEdge, .ja): return "テンソルの端です (Tab で次へ)"
        case (.noCellThere, .en): return "no cell there"
        case (.noCellThere, .ja): return "そこにはセルがありません"
        case (.picking(let cells), .en):
            return "Enter picks the cell, Esc back to the question: " + (cells.isEmpty ? "none yet" : cells)
        case (.picking(let cells), .ja):
            return "Enter でマスを選ぶ、Esc で問題へ: " + (cells.isEmpty ? "まだなし" : cells)
        case (.liveRefused(let why), _): return why
        case (.noSuchStep(let n, let count), .ja):
            return n < 1 ? "ステップ \(n) はありません (最初は 1)" : "ステップ \(n) はありません (最後は \(max(1, count)))"
        }
    }

    /// `2`, `0.5`: a speed without a pointless `.0`.
    static func speed(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}
