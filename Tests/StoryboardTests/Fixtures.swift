import Engine
import Trace
import Lessons
import Storyboard

/// Small scenarios of every kind the storyboard draws, built without lesson files so that
/// these tests do not change when the course is edited.
enum Fixtures {
    static func ramp(_ shape: [Int], from start: Double = 1) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, data: (0..<n).map { start + Double($0) })
    }

    static func board(_ scenario: Scenario, title: String = "Fixture") -> Storyboard {
        do {
            return board(scenario, trace: try Trace.record(scenario), title: title)
        } catch {
            fatalError("fixture scenario does not run: \(error)")
        }
    }

    /// A board of a trace already recorded from `scenario`.
    static func board(_ scenario: Scenario, trace: Trace, title: String = "Fixture") -> Storyboard {
        let lesson = Lesson(path: "fixture.md", title: Localized(en: title, ja: title + "(日本語)"),
                            summary: Localized(en: "", ja: ""), scenario: scenario)
        return Storyboard(lesson: lesson, trace: trace)
    }

    /// The seed's worked example, with symbols.
    static var seedExample: Storyboard {
        board(Scenario(operation: .conv, x: ramp([1, 1, 4, 4]), w: ramp([1, 1, 2, 2]),
                       wLabels: ["W", "X", "Y", "Z"]), title: "Worked example")
    }

    /// Two channels, two filters, batch 2, stride 2 and padding 1, ReLU, backward and SGD.
    static var convBackward: Storyboard {
        var x = ramp([2, 2, 4, 3], from: -5)
        x.data = x.data.map { ($0 * 7).truncatingRemainder(dividingBy: 11) }
        let w = Tensor(shape: [2, 2, 2, 2], data: [1, -1, 0, 2, 1, 1, -2, 0, 0, 1, 1, 0, -1, 2, 1, 1])
        return board(Scenario(operation: .conv, passes: .update, x: x, w: w,
                              b: Tensor(shape: [2], data: [0.5, -1]), stride: Pair(2), pad: .pair(Pair(1)),
                              activation: .relu), title: "Backward")
    }

    /// The seed's `BaseLayer` form (`x.T@w.T`) through backward, with Adam.
    static var baseFormBackward: Storyboard {
        var x = ramp([1, 2, 3, 3], from: -4)
        x.data = x.data.map { ($0 * 5).truncatingRemainder(dividingBy: 7) }
        let w = Tensor(shape: [2, 2, 2, 2], data: [1, 0, -1, 2, 0, 1, 1, -1, 2, 1, 0, 0, -1, 1, 0, 1])
        return board(Scenario(operation: .conv, passes: .update, x: x, w: w, form: .base, activation: .sigmoid,
                              optimizer: .defaultAdam), title: "Base form")
    }

    static func pool(_ mode: PoolMode = .max, routing: Routing = .correct, stride: Int = 1) -> Storyboard {
        let x = Tensor(shape: [1, 1, 3, 3], data: [1, 5, 2, 4, 0, 6, 3, 8, 7])
        return board(Scenario(operation: .pool, passes: .backward, x: x, stride: Pair(stride),
                              pool: Pair(2), poolMode: mode, routing: routing), title: "Pooling")
    }

    /// The step index of the `n`th (1-based) step of the first phase named `title`.
    static func step(_ board: Storyboard, _ title: String, _ n: Int = 1) -> Int {
        guard let mark = board.phases.first(where: { $0.title == title }) else {
            fatalError("no phase \(title) in \(board.phases.map(\.title))")
        }
        return mark.firstStep + n - 1
    }
}
