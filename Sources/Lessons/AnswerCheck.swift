import Foundation
import Engine
import Trace

/// Whether a typed (or picked) answer matches a question's key.
public enum Verdict: Sendable, Equatable {
    case right
    case wrong
    /// The text is not an answer of the key's kind; the sentence says what to type. Not
    /// counted as a try.
    case unreadable(String)
}

/// Compares a student's answer with an `AnswerKey`. Pure, so that every front end (the
/// terminal player, the line player, a page) grades the same way.
public enum AnswerCheck {
    /// A typed answer: a number, a shape, cells such as `x[0,0,1,1] x[0,0,1,2]`, or a choice's
    /// number (or its text).
    public static func verdict(_ typed: String, key: AnswerKey) -> Verdict {
        let text = typed.trimmingCharacters(in: .whitespaces)
        switch key {
        case .number(let expected):
            guard let value = Double(text.replacingOccurrences(of: "−", with: "-")), value.isFinite else {
                return .unreadable("type a number, such as 64 or -0.5")
            }
            return matches(value, typed: text, expected: expected) ? .right : .wrong
        case .shape(let expected):
            guard case .success(let shape) = AnswerKey.readShape(text) else {
                return .unreadable("type a shape, such as (4, 9)")
            }
            return shape == expected ? .right : .wrong
        case .cells:
            var rest = text
            if rest.lowercased().hasPrefix("cells") { rest = String(rest.dropFirst(5)) }
            guard case .success(let cells) = CellName.list(rest), !cells.isEmpty else {
                return .unreadable("type cells as a name and an index, such as x[0,0,1,1] x[0,0,1,2]")
            }
            return verdict(cells: Set(cells), key: key)
        case .choice(let right, let choices):
            if let n = Int(text) {
                guard (1...max(1, choices.count)).contains(n) else {
                    return .unreadable("type the number of a choice, from 1 to \(choices.count)")
                }
                return n == right ? .right : .wrong
            }
            if let i = choices.firstIndex(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) {
                return i + 1 == right ? .right : .wrong
            }
            return .unreadable("type the number of a choice, from 1 to \(choices.count)")
        }
    }

    /// Cells picked one by one (with a cursor, or typed): right when they are exactly the key's.
    public static func verdict(cells: Set<CellName>, key: AnswerKey) -> Verdict {
        guard case .cells(let expected) = key else { return .unreadable("this question does not ask for cells") }
        return cells == expected ? .right : .wrong
    }

    /// Exact, or equal to the expected value rounded to the decimals typed (two or more), so
    /// that `0.33` is right for 0.333… while `64` is not right for 64.4.
    static func matches(_ value: Double, typed: String, expected: Double) -> Bool {
        if abs(value - expected) <= 1e-9 * max(1, abs(expected)) { return true }
        guard let dot = typed.firstIndex(of: "."), !typed.lowercased().contains("e") else { return false }
        let decimals = typed.distance(from: dot, to: typed.endIndex) - 1
        guard decimals >= 1 else { return false }
        let scale = pow(10, Double(decimals))
        return abs(value - (expected * scale).rounded() / scale) <= 0.5 / scale * 1e-6
    }
}

/// One question being answered: tries counted, the answer revealed after `maxTries` wrong ones
/// or on request. A front end shows the hint after each wrong try.
public struct AnswerAttempts: Sendable, Equatable {
    /// Wrong tries after which the answer is shown.
    public static let maxTries = 3

    public enum State: Sendable, Equatable {
        case open
        case right
        /// The answer was shown: after `maxTries` wrong tries, or asked for.
        case revealed
    }

    public enum Outcome: Sendable, Equatable {
        case right
        /// Wrong; the hint is due. `left` tries remain before the answer is shown.
        case wrong(left: Int)
        /// Wrong for the last time: the answer is shown.
        case revealed
        case unreadable(String)
        /// The question is already closed.
        case closed
    }

    public let key: AnswerKey
    /// Tries graded so far (unreadable ones are not counted).
    public private(set) var tries = 0
    public private(set) var state = State.open

    public init(key: AnswerKey) { self.key = key }

    public var isClosed: Bool { state != .open }
    /// Right at the first try: what a class report counts.
    public var rightFirstTime: Bool { state == .right && tries == 1 }

    public mutating func submit(_ typed: String) -> Outcome { grade(AnswerCheck.verdict(typed, key: key)) }

    /// Cells picked with a cursor instead of typed.
    public mutating func submit(cells: Set<CellName>) -> Outcome { grade(AnswerCheck.verdict(cells: cells, key: key)) }

    /// The student asks to see the answer.
    public mutating func reveal() {
        if state == .open { state = .revealed }
    }

    private mutating func grade(_ verdict: Verdict) -> Outcome {
        guard state == .open else { return .closed }
        switch verdict {
        case .unreadable(let why): return .unreadable(why)
        case .right:
            tries += 1
            state = .right
            return .right
        case .wrong:
            tries += 1
            if tries >= Self.maxTries {
                state = .revealed
                return .revealed
            }
            return .wrong(left: Self.maxTries - tries)
        }
    }
}

/// Where a question's answer is read in the trace: after the step it is asked before, or, for a
/// question on a whole phase, after the phase's last step (the phase's result).
public struct AnswerPlace: Sendable, Equatable {
    /// The trace step after which values are read.
    public var traceStep: Int
    /// The trace steps of the phase.
    public var phaseSteps: Range<Int>
    /// True for a question on one step, false for one on a whole phase.
    public var onStep: Bool

    public init(traceStep: Int, phaseSteps: Range<Int>, onStep: Bool) {
        self.traceStep = traceStep
        self.phaseSteps = phaseSteps
        self.onStep = onStep
    }

    /// The place of a question asked at `phase` (an index into the trace's phases), step
    /// `step` (1-based) or the whole phase (nil); nil when the phase has no such step.
    public init?(trace: Trace, phase: Int, step: Int?) {
        guard trace.phases.indices.contains(phase) else { return nil }
        let first = trace.phaseFirstStep[phase]
        let end = phase + 1 < trace.phases.count ? trace.phaseFirstStep[phase + 1] : trace.stepCount
        guard end > first else { return nil }
        if let step {
            guard step >= 1, first + step - 1 < end else { return nil }
            self.init(traceStep: first + step - 1, phaseSteps: first..<end, onStep: true)
        } else {
            self.init(traceStep: end - 1, phaseSteps: first..<end, onStep: false)
        }
    }
}

extension AnswerKey {
    /// The key of `spec` read from the trace at `place`, or the sentence saying why the answer
    /// disagrees with what the layer computes (what `tatami check` reports at the answer's line).
    /// `choices` are the lesson's choices in the language wanted.
    public static func evaluate(_ spec: AnswerSpec, choices: [String], trace: Trace, place: AnswerPlace) -> Result<AnswerKey, AnswerProblem> {
        let state = { trace.state(after: place.traceStep) }
        switch spec {
        case .number(let v):
            return .success(.number(v))
        case .cellValue(let cell, let stated):
            return locate(cell, trace: trace, place: place).flatMap { id, flat in
                let value = state()[id][flat]
                if let stated, abs(stated - value) > 1e-9 * max(1, abs(value)) {
                    return .failure(AnswerProblem("the layer computes \(cell) = \(format(value)) \(place.onStep ? "at this step" : "by the end of this phase"), not \(format(stated)); write `answer: \(cell) = \(format(value))`"))
                }
                return .success(.number(value))
            }
        case .shape(let shape):
            let shown = tensors(touchedIn: place.phaseSteps, trace: trace)
            guard shown.contains(where: { trace.tensors[Int($0.rawValue)].shape == shape }) else {
                let list = shown.map { "\(trace.tensors[Int($0.rawValue)].name) \(AnswerKey.shape(trace.tensors[Int($0.rawValue)].shape).text)" }
                return .failure(AnswerProblem("no tensor of this phase has the shape \(AnswerKey.shape(shape).text); its tensors are \(list.joined(separator: ", "))"))
            }
            return .success(.shape(shape))
        case .cells(let cells):
            var picked: [TensorID: Set<Int>] = [:]
            for cell in cells {
                switch locate(cell, trace: trace, place: place) {
                case .failure(let problem): return .failure(problem)
                case .success(let (id, flat)): picked[id, default: []].insert(flat)
                }
            }
            let steps = place.onStep ? place.traceStep..<(place.traceStep + 1) : place.phaseSteps
            let touched = cellsTouched(in: steps, trace: trace)
            for (id, flats) in picked.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let info = trace.tensors[Int(id.rawValue)]
                let expected = touched[id] ?? []
                let name = { (flat: Int) in CellName(tensor: info.name, index: Tensor.unravel(flat, shape: info.shape)) }
                if let stray = flats.subtracting(expected).min() {
                    return .failure(AnswerProblem("\(name(stray)) is not read or written \(place.onStep ? "in this step" : "in this phase"); \(expected.isEmpty ? "it touches no cell of \(info.name)" : "the cells of \(info.name) it touches are \(expected.sorted().map { name($0).description }.joined(separator: " "))")"))
                }
                if place.onStep, let missing = expected.subtracting(flats).min() {
                    return .failure(AnswerProblem("this step also touches \(name(missing)); list every cell of \(info.name) it touches: \(expected.sorted().map { name($0).description }.joined(separator: " "))"))
                }
            }
            return .success(.cells(Set(cells)))
        case .choice(let n):
            guard choices.indices.contains(n - 1) else {
                return .failure(AnswerProblem("there is no choice \(n): the lesson lists \(choices.count); write a number from 1 to \(choices.count)"))
            }
            return .success(.choice(n, choices: choices))
        }
    }

    /// The tensor a name means at the answer's step, and the flat index of the cell in it.
    static func locate(_ cell: CellName, trace: Trace, place: AnswerPlace) -> Result<(TensorID, Int), AnswerProblem> {
        guard let id = trace.tensor(named: cell.tensor, atStep: place.traceStep) else {
            let names = Array(Set(trace.tensors.indices.filter { trace.declaredAt[$0] <= (trace.stepStarts.indices.contains(place.traceStep) ? trace.stepStarts[place.traceStep] : trace.events.count) }.map { trace.tensors[$0].name }))
            return .failure(AnswerProblem("there is no tensor `\(cell.tensor)` at this step; the tensors are \(names.sorted().joined(separator: ", "))"))
        }
        let shape = trace.tensors[Int(id.rawValue)].shape
        guard cell.index.count == shape.count, zip(cell.index, shape).allSatisfy({ $0 >= 0 && $0 < $1 }) else {
            return .failure(AnswerProblem("\(cell) is outside `\(cell.tensor)`, whose shape is \(AnswerKey.shape(shape).text); give \(shape.count) indices, each below its size"))
        }
        var flat = 0
        for (i, n) in zip(cell.index, shape) { flat = flat * n + i }
        return .success((id, flat))
    }

    static func tensors(touchedIn steps: Range<Int>, trace: Trace) -> [TensorID] {
        var seen: [TensorID] = []
        for t in cellsTouched(in: steps, trace: trace).keys.sorted(by: { $0.rawValue < $1.rawValue }) where !seen.contains(t) { seen.append(t) }
        return seen
    }

    /// Every cell an event of `steps` reads or writes, by tensor.
    static func cellsTouched(in steps: Range<Int>, trace: Trace) -> [TensorID: Set<Int>] {
        var touched: [TensorID: Set<Int>] = [:]
        for s in steps {
            for e in trace.events(ofStep: s) where e.kind != .phase && e.kind != .step && e.kind != .link {
                if e.src != .none, e.srcIndex >= 0 { touched[e.src, default: []].insert(Int(e.srcIndex)) }
                if e.dst != .none, e.dstIndex >= 0 { touched[e.dst, default: []].insert(Int(e.dstIndex)) }
            }
        }
        return touched
    }
}

/// Why an answer disagrees with the trace, as one sentence.
public struct AnswerProblem: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
