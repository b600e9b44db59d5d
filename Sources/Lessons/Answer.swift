import Foundation

/// A cell of a tensor as the trace names it: `out[0,0,0,2]`, `x_pad[0,0,1,1]`.
public struct CellName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var tensor: String
    public var index: [Int]

    public init(tensor: String, index: [Int]) {
        self.tensor = tensor
        self.index = index
    }

    /// `out[0,0,0,2]`: the form lessons and typed answers use (no spaces).
    public var description: String { tensor + "[" + index.map(String.init).joined(separator: ",") + "]" }

    public static func < (a: CellName, b: CellName) -> Bool {
        a.tensor != b.tensor ? a.tensor < b.tensor : a.index.lexicographicallyPrecedes(b.index)
    }

    /// Every `name[i,j,…]` in `text`, in order; nil with the reason when anything else is there.
    /// Spaces inside the brackets are allowed (`x[0, 0, 1, 1]`), so that an index copied from
    /// the screen's arithmetic reads as well.
    public static func list(_ text: String) -> Result<[CellName], AnswerSyntaxError> {
        var cells: [CellName] = []
        let chars = Array(text)
        var i = 0
        func isName(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        while i < chars.count {
            if chars[i] == " " || chars[i] == "," { i += 1; continue }
            let start = i
            while i < chars.count, isName(chars[i]) { i += 1 }
            let name = String(chars[start..<i])
            guard !name.isEmpty, name.first?.isLetter == true else {
                return .failure(AnswerSyntaxError(offset: start, message: "write each cell as a tensor name and its index, such as `x[0,0,1,1]`"))
            }
            guard i < chars.count, chars[i] == "[" else {
                return .failure(AnswerSyntaxError(offset: i, message: "`\(name)` needs its index in brackets, such as `\(name)[0,0,1,1]`"))
            }
            guard let close = chars[i...].firstIndex(of: "]") else {
                return .failure(AnswerSyntaxError(offset: i, message: "close the index of `\(name)` with `]`"))
            }
            let inside = String(chars[(i + 1)..<close])
            let parts = inside.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = parts.compactMap { Int($0) }
            guard !inside.trimmingCharacters(in: .whitespaces).isEmpty, numbers.count == parts.count, numbers.allSatisfy({ $0 >= 0 }) else {
                return .failure(AnswerSyntaxError(offset: i + 1, message: "an index is whole numbers from 0 separated by commas, such as `\(name)[0,0,1,1]`"))
            }
            cells.append(CellName(tensor: name, index: numbers))
            i = close + 1
        }
        return .success(cells)
    }
}

/// What is wrong with an answer as written, and where in it (0-based, in characters).
public struct AnswerSyntaxError: Error, Sendable, Equatable {
    public var offset: Int
    public var message: String
}

/// The answer a lesson gives a question, as written after `answer:` (see Lessons/README.md).
public enum AnswerSpec: Sendable, Equatable {
    /// `answer: 64`: a number taken as written.
    case number(Double)
    /// `answer: out[0,0,0,2]`: the cell's value after the step; `answer: out[0,0,0,2] = 64`
    /// also states the value, and `tatami check` refuses the lesson when the trace disagrees.
    case cellValue(CellName, stated: Double?)
    /// `answer: (4, 9)`: the shape of a tensor the phase shows.
    case shape([Int])
    /// `answer: cells x[0,0,0,2] x[0,0,0,3]`: the cells a step touches, picked or typed.
    case cells([CellName])
    /// `answer: choice 2`, with `choices.en:` and `choices.ja:` lines listing the choices.
    case choice(Int)

    /// Reads what follows `answer:`.
    public static func parse(_ text: String) -> Result<AnswerSpec, AnswerSyntaxError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lead = text.count - text.drop(while: { $0 == " " }).count
        guard !trimmed.isEmpty else {
            return .failure(AnswerSyntaxError(offset: 0, message: "write the answer after `answer:`: a number (`64`), a cell (`out[0,0,0,2]`), a shape (`(4, 9)`), `cells x[0,0,1,1] …` or `choice 2`"))
        }
        if let n = Double(trimmed), n.isFinite { return .success(.number(n)) }
        if trimmed.hasPrefix("(") {
            return AnswerKey.readShape(trimmed).map { .shape($0) }.mapError { AnswerSyntaxError(offset: lead + $0.offset, message: $0.message) }
        }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("cells") {
            let rest = String(trimmed.dropFirst(5))
            return CellName.list(rest).flatMap { cells in
                cells.isEmpty ? .failure(AnswerSyntaxError(offset: 0, message: "name the cells after `cells`, such as `cells x[0,0,1,1] x[0,0,1,2]`")) : .success(.cells(cells))
            }.mapError { AnswerSyntaxError(offset: lead + 5 + $0.offset, message: $0.message) }
        }
        if lower.hasPrefix("choice") {
            let rest = trimmed.dropFirst(6).trimmingCharacters(in: .whitespaces)
            guard let n = Int(rest), n >= 1 else {
                return .failure(AnswerSyntaxError(offset: lead + 6, message: "write which choice is right as a number from 1, such as `choice 2`"))
            }
            return .success(.choice(n))
        }
        // A cell, perhaps with its value stated: `out[0,0,0,2] = 64`.
        let sides = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        var stated: Double?
        if sides.count == 2 {
            guard let v = Double(sides[1]), v.isFinite else {
                let equals = trimmed.firstIndex(of: "=").map { trimmed.distance(from: trimmed.startIndex, to: $0) } ?? 0
                let gap = trimmed.dropFirst(equals + 1).prefix { $0 == " " }.count
                return .failure(AnswerSyntaxError(offset: lead + equals + 1 + gap,
                    message: "after `=` write the value the cell holds, a number such as `64`"))
            }
            stated = v
        }
        switch CellName.list(sides[0]) {
        case .failure(let e):
            let hint = "write a number (`64`), a cell (`out[0,0,0,2]`), a shape (`(4, 9)`), `cells x[0,0,1,1] …` or `choice 2`"
            guard trimmed.contains("[") else {
                return .failure(AnswerSyntaxError(offset: lead, message: "`\(trimmed)` is not an answer: \(hint)"))
            }
            return .failure(AnswerSyntaxError(offset: lead + e.offset, message: e.message))
        case .success(let cells):
            guard cells.count == 1 else {
                return .failure(AnswerSyntaxError(offset: lead, message: "one cell gives a value; for several cells write `cells` first, as in `cells \(sides[0])`"))
            }
            return .success(.cellValue(cells[0], stated: stated))
        }
    }
}

/// An answer evaluated against the trace: what the student's answer is compared with, as
/// plain data that any front end (the player, a page) can use.
public enum AnswerKey: Sendable, Equatable {
    case number(Double)
    case shape([Int])
    case cells(Set<CellName>)
    /// The right choice (1-based) and the choices, in the lesson's language.
    case choice(Int, choices: [String])

    /// How the answer is said when it is shown: `64`, `(4, 9)`, `x[0,0,0,2] x[0,0,0,3]`, `2. adds`.
    public var text: String {
        switch self {
        case .number(let v): return Self.format(v)
        case .shape(let s): return "(" + s.map(String.init).joined(separator: ", ") + ")"
        case .cells(let c): return c.sorted().map(\.description).joined(separator: " ")
        case .choice(let n, let choices): return choices.indices.contains(n - 1) ? "\(n). \(choices[n - 1])" : String(n)
        }
    }

    /// A number without a pointless `.0`, and with no more than 6 decimals.
    public static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        var s = String(format: "%.6f", v)
        while s.last == "0" { s.removeLast() }
        if s.last == "." { s.removeLast() }
        return s
    }

    /// `(4, 9)`, `4, 9`, `4,9` or `4 9`, with `x` or `×` also taken as separators.
    static func readShape(_ text: String) -> Result<[Int], AnswerSyntaxError> {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("(") {
            guard t.hasSuffix(")") else { return .failure(AnswerSyntaxError(offset: t.count, message: "close the shape with `)`, as in `(4, 9)`")) }
            t = String(t.dropFirst().dropLast())
        }
        // `4x9` reads as a shape; `x` is a separator only where there are no commas.
        let times = !t.contains(",")
        let parts = t.split(whereSeparator: { $0 == "," || $0 == " " || (times && ($0 == "x" || $0 == "×")) })
        let sizes = parts.compactMap { Int($0) }
        guard !parts.isEmpty, sizes.count == parts.count, sizes.allSatisfy({ $0 >= 0 }) else {
            return .failure(AnswerSyntaxError(offset: 1, message: "a shape is whole numbers separated by commas in parentheses, such as `(4, 9)`"))
        }
        return .success(sizes)
    }
}
