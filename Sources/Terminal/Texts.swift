import Storyboard

/// Everything the player itself writes on screen, in both languages. The storyboard owns the
/// lesson's words; these are only the player's own.
struct Texts: Sendable {
    var playing: String
    var paused: String
    var stepsPerSecond: String
    var step: String
    var hint: String
    var helpTitle: String
    var helpFooter: String
    /// (keys, meaning) in the order of DESIGN.md.
    var keys: [(String, String)]
    var goToPrompt: String
    var goToHint: String
    var questionTitle: String
    var questionFooter: String
    var tooSmall: String
    var current: String

    static func of(_ language: Language, asciiOnly: Bool) -> Texts {
        let right = asciiOnly ? "Right" : "→"
        let left = asciiOnly ? "Left" : "←"
        // Japanese cannot be shown without a UTF-8 locale; the English words are then better
        // than question marks.
        switch asciiOnly ? .en : language {
        case .en:
            return Texts(
                playing: "> playing", paused: "|| paused", stepsPerSecond: "steps/s",
                step: "step", hint: "? help  q quit",
                helpTitle: "Keys", helpFooter: "press any key to close",
                keys: [
                    ("space", "play / pause"),
                    ("\(right)  l", "next step"),
                    ("\(left)  h", "previous step"),
                    ("]  [", "next / previous phase"),
                    ("+  -", "faster / slower"),
                    ("g", "go to step"),
                    ("Home  End", "first / last step"),
                    ("v", "numbers / symbols"),
                    ("c", "code pane"),
                    ("L", asciiOnly ? "language (English / Japanese)" : "language (English / 日本語)"),
                    ("?", "this help"),
                    ("q", "quit"),
                ],
                goToPrompt: "go to step", goToHint: "Enter go  Esc cancel",
                questionTitle: "Question", questionFooter: "press any key to see the step",
                tooSmall: "terminal too small: need", current: "now")
        case .ja:
            return Texts(
                playing: "> 再生中", paused: "|| 一時停止", stepsPerSecond: "ステップ/秒",
                step: "ステップ", hint: "? ヘルプ  q 終了",
                helpTitle: "キー操作", helpFooter: "何かキーを押すと閉じます",
                keys: [
                    ("space", "再生 / 一時停止"),
                    ("\(right)  l", "次のステップ"),
                    ("\(left)  h", "前のステップ"),
                    ("]  [", "次 / 前のフェーズ"),
                    ("+  -", "速く / 遅く"),
                    ("g", "ステップへ移動"),
                    ("Home  End", "最初 / 最後のステップ"),
                    ("v", "数値 / 記号"),
                    ("c", "コード表示"),
                    ("L", "言語 (English / 日本語)"),
                    ("?", "このヘルプ"),
                    ("q", "終了"),
                ],
                goToPrompt: "ステップへ移動", goToHint: "Enter 移動  Esc 取消",
                questionTitle: "問題", questionFooter: "何かキーを押すとステップを表示します",
                tooSmall: "端末が小さすぎます: 必要な大きさ", current: "現在")
        }
    }

    /// `2`, `0.5`: a speed without a pointless `.0`.
    static func speed(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }
}
