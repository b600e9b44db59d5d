import ArgumentParser
import Engine
import Storyboard

// The values typed on the command line: sizes, pairs, paddings, shapes and words. Reading one
// never fails; each keeps what was typed and what it means, or why it means nothing, and the
// option group's `validate()` refuses it with a sentence that names the option and says what to
// write. (A failing `init?(argument:)` would only let argument-parser call the value invalid.)

/// The integers of a comma-separated list such as `2,1`, or why it is not one.
private func integers(_ text: String) -> Result<[Int], ArgumentProblem> {
    var numbers: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
        let trimmed = part.trimmingCharacters(in: .whitespaces)
        guard let n = Int(trimmed) else {
            return .failure(ArgumentProblem(trimmed.isEmpty ? "an empty number" : "'\(trimmed)', which is not an integer"))
        }
        numbers.append(n)
    }
    return .success(numbers)
}

/// What is wrong with a typed value, said after the option and its value: `--stride 2,x has …`.
struct ArgumentProblem: Error, Sendable {
    var what: String
    init(_ what: String) { self.what = what }
}

/// `N` or `NV,NH`: a stride, pad, dilation or window, one integer for both directions or a
/// (vertical, horizontal) pair.
struct PairArgument: ExpressibleByArgument, Sendable {
    /// What was typed.
    let text: String
    private let numbers: Result<[Int], ArgumentProblem>

    init(argument: String) {
        text = argument
        numbers = integers(argument)
    }

    var defaultValueDescription: String { text }

    /// The pair, refused when it is not one or two integers or when either is below `minimum`.
    /// `example` shows what to write instead.
    func value(_ option: String, atLeast minimum: Int, example: String) throws -> Pair {
        let numbers: [Int]
        switch self.numbers {
        case .failure(let problem):
            throw ValidationError("\(option) \(text) has \(problem.what); give one integer or two separated by a comma, e.g. \(example)")
        case .success(let n): numbers = n
        }
        guard numbers.count == 1 || numbers.count == 2 else {
            throw ValidationError("\(option) \(text) has \(numbers.count) numbers; give one integer or two separated by a comma, e.g. \(example)")
        }
        guard numbers.allSatisfy({ $0 >= minimum }) else {
            throw ValidationError("\(option) must be at least \(minimum) (got \(text))")
        }
        return numbers.count == 1 ? Pair(numbers[0]) : Pair(numbers[0], numbers[1])
    }
}

/// `P`, `PH,PW` or `same` (the article's formula, resolved once the filter is known).
struct PaddingArgument: ExpressibleByArgument, Sendable {
    let text: String

    init(argument: String) { text = argument }

    var defaultValueDescription: String { text }

    func value(_ option: String = "--pad") throws -> Padding {
        if text.trimmingCharacters(in: .whitespaces).lowercased() == "same" { return .same }
        return .pair(try PairArgument(argument: text).value(option, atLeast: 0, example: "1 or 1,0 or same"))
    }
}

/// Four sizes such as `B,C,H,W`, each at least 1.
struct ShapeArgument: ExpressibleByArgument, Sendable {
    let text: String
    private let numbers: Result<[Int], ArgumentProblem>

    init(argument: String) {
        text = argument
        numbers = integers(argument)
    }

    var defaultValueDescription: String { text }

    /// The axes of an input `(B, C, H, W)` and of filters `(M, C, FH, FW)`, as a refusal names them.
    static let inputAxes = ("B,C,H,W", ["images", "channels", "rows", "columns"])
    static let filterAxes = ("M,C,FH,FW", ["filters", "channels", "rows", "columns"])

    func value(_ option: String, axes: (letters: String, names: [String])) throws -> [Int] {
        let numbers: [Int]
        switch self.numbers {
        case .failure(let problem):
            throw ValidationError("\(option) \(text) has \(problem.what); give four integers \(axes.letters), e.g. 2,3,5,5")
        case .success(let n): numbers = n
        }
        guard numbers.count == 4 else {
            throw ValidationError("\(option) \(text) has \(numbers.count) numbers, but it needs four: \(axes.letters), e.g. 2,3,5,5")
        }
        if let i = numbers.firstIndex(where: { $0 < 1 }) {
            throw ValidationError("\(option) \(text) asks for \(numbers[i]) \(axes.names[i]); every size must be at least 1")
        }
        return numbers
    }
}

/// `WIDTHxHEIGHT`, such as `100x32`: the size of a rendered or recorded frame.
struct FrameSize: ExpressibleByArgument, Sendable {
    /// The sizes a frame may have; a terminal outside them does not exist.
    static let range = (least: Size(width: 20, height: 5), most: Size(width: 1000, height: 500))

    let text: String

    init(argument: String) { text = argument }

    var defaultValueDescription: String { text }

    func value() throws -> Size {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else {
            throw ValidationError("--size must look like 100x32 (width x height), not \"\(text)\"")
        }
        let (least, most) = Self.range
        guard (least.width...most.width).contains(w), (least.height...most.height).contains(h) else {
            throw ValidationError("--size \(text) is outside \(least.width)x\(least.height) … \(most.width)x\(most.height)")
        }
        return Size(width: w, height: h)
    }
}

/// One word of a fixed set (`--lang en|ja`, `--layout seed|rows`, …), in any letter case, as
/// lesson files read their words.
struct Word<Value: CaseIterable & RawRepresentable & Sendable>: ExpressibleByArgument, Sendable
where Value.RawValue == String {
    let text: String
    /// The word's meaning; nil when it is none of the words.
    let meaning: Value?

    init(argument: String) {
        text = argument
        meaning = Value.allCases.first { $0.rawValue == argument.lowercased() }
    }

    init(_ value: Value) {
        text = value.rawValue
        meaning = value
    }

    var defaultValueDescription: String { text }

    static var allValueStrings: [String] { Value.allCases.map(\.rawValue) }

    /// `en or ja`, `forward, backward or update`.
    static var choices: String {
        let words = allValueStrings
        return words.count < 2 ? words.joined() : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    func value(_ option: String) throws -> Value {
        guard let meaning else { throw ValidationError("\(option) must be \(Self.choices), not \"\(text)\"") }
        return meaning
    }
}

/// `--color`: whether rendered frames carry ANSI colours.
enum ColorMode: String, CaseIterable, Sendable {
    case never, always, auto
}

/// `render --format`: how a frame is encoded. `text` and `ansi` are `--color never` and
/// `--color always`; `svg` and `html` carry the role colours for slides and handouts.
enum FrameFormat: String, CaseIterable, Sendable {
    case text, ansi, svg, html

    /// The extension of the files `render --all -o FOLDER` writes.
    var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .ansi: return "ans"
        case .svg: return "svg"
        case .html: return "html"
        }
    }

    /// Whether a whole run of frames can share one stream, each after a line naming its step:
    /// an SVG is one document and an HTML fragment one picture, so they go one per file.
    var isText: Bool { self == .text || self == .ansi }
}
