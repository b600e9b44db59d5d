import Storyboard
@testable import Terminal

/// A small source whose frames say which step, size and options they were drawn for, so
/// that tests can read back what the player asked for.
struct TestSource: FrameSource {
    var title = "test lesson"
    var stepCount = 12
    var phases = [
        PhaseMark(title: "input", firstStep: 0),
        PhaseMark(title: "sliding window", firstStep: 3),
        PhaseMark(title: "im2col", firstStep: 7),
    ]
    var minimumSize = Size(width: 40, height: 10)
    /// Steps that ask a question before they are shown.
    var questions: [Int: String] = [:]

    func question(before step: Int, language: Language) -> String? {
        questions[step].map { language == .ja ? "問: " + $0 : $0 }
    }

    func frame(at step: Int, size: Size, options: ViewOptions) -> Frame {
        var frame = Frame(size: size)
        frame.put("frame \(step) size \(size.width)x\(size.height)", row: 0, column: 0)
        frame.put("symbols \(options.symbols) code \(options.showCode) \(options.language.rawValue)",
                  row: 1, column: 0)
        // Fill the last row as well, to show that the status line does not overwrite it.
        frame.put("bottom", row: size.height - 1, column: 0)
        return frame
    }
}

extension PlayerModel {
    init(_ source: TestSource = TestSource(), start: Int = 0, speed: Double = 2, autoplay: Bool = false) {
        self.init(source: source, settings: PlayerSettings(stepsPerSecond: speed, startStep: start, autoplay: autoplay))
    }

    /// Sends keys one after another and returns the last effect.
    @discardableResult
    mutating func press(_ keys: Key...) -> Effect {
        var effect = Effect.none
        for key in keys { effect = handle(key: key) }
        return effect
    }

    @discardableResult
    mutating func type(_ text: String) -> Effect {
        var effect = Effect.none
        for ch in text { effect = handle(key: .character(ch)) }
        return effect
    }
}
