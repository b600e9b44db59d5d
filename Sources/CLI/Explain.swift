import Foundation
import ArgumentParser
import Engine
import Trace
import Storyboard

/// `tatami explain`: one cell's lineage — its value, the steps that made it, the given cells it
/// comes from and the results it goes to — in words or as one JSON object.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain one cell: its value, the steps that made it, where it comes from and where it goes.")

    @OptionGroup var source: LessonSourceArguments

    @Option(help: ArgumentHelp("The cell, as the trace names it: the tensor's name and one index per axis.",
                               valueName: "NAME[i,j,…]"))
    var cell: String

    @Option(parsing: .unconditional,
            help: "The step, counted from 1 as the player counts them: the tensor of that name as declared by then, and its value after that step (default: the last tensor of that name, at the end).")
    var step: Int?

    @Flag(help: "Print one JSON object instead of words.")
    var json = false

    func validate() throws {
        try source.requireLessonOrFreePlay()
        if let step, step < 1 { throw ValidationError("--step must be at least 1 (got \(step))") }
        _ = try CellName(cell)
    }

    func run() throws {
        try reportingErrors {
            let board = try source.storyboard()
            let trace = board.trace
            let named = try CellName(cell)
            var traceStep: Int?
            if let step {
                guard step <= board.stepCount else {
                    throw ValidationError("--step must be at most \(board.stepCount), the steps \(source.name) shows (got \(step))")
                }
                traceStep = board.visibleSteps[step - 1]
            }
            let target = try named.resolve(in: trace, atStep: traceStep, shownAs: source.name)
            let lineage = Lineage(trace)
            let answer = lineage.explain(target, after: traceStep)
            let screen = ScreenSteps(board)
            printOut(json ? Self.json(answer, lineage, screen) + "\n" : Self.words(answer, lineage, screen, at: step))
        }
    }

    static func json(_ a: CellLineage, _ lineage: Lineage, _ screen: ScreenSteps) -> String {
        func cell(_ c: CellRef) -> String {
            let info = lineage.trace.tensors[Int(c.tensor.rawValue)]
            let index = Tensor.unravel(c.index, shape: info.shape).map(String.init).joined(separator: ",")
            return "{\"tensor\":\(JSON.string(info.name)),\"index\":[\(index)]}"
        }
        let steps = a.steps.map { s in
            "{\"step\":\(screen.number(s.step).map(String.init) ?? "null"),\"trace_step\":\(s.step + 1)"
                + ",\"phase\":\(JSON.string(s.phase.rawValue)),\"text\":\(JSON.string(s.text))}"
        }
        return "{\"cell\":\(cell(a.cell)),\"value\":\(JSON.number(a.value))"
            + ",\"sources\":[" + a.sources.map(cell).joined(separator: ",") + "]"
            + ",\"uses\":[" + a.uses.map(cell).joined(separator: ",") + "]"
            + ",\"steps\":[" + steps.joined(separator: ",") + "]}"
    }

    static func words(_ a: CellLineage, _ lineage: Lineage, _ screen: ScreenSteps, at step: Int?) -> String {
        let info = lineage.trace.tensors[Int(a.cell.tensor.rawValue)]
        var lines = ["\(lineage.name(of: a.cell)) = \(Lineage.number(a.value))"
                     + (step.map { " after step \($0)" } ?? " at the end")
                     + " (\(info.role.rawValue), \(info.pass.rawValue) pass)"]
        lines.append("")
        if a.steps.isEmpty {
            lines.append(info.origin == .given ? "Given: no step made it." : "No step wrote it: it holds its initial zero.")
        } else {
            lines.append("Made by:")
            for s in a.steps {
                let n = screen.number(s.step).map { "step \($0)" } ?? "a step not shown (\(s.phase.rawValue))"
                lines.append("  \(n), \(s.phase.rawValue): \(s.text)")
            }
        }
        lines.append("")
        lines.append(a.sources.isEmpty ? "It depends on no given cell."
                     : "It depends on \(count(a.sources.count)) of the given tensors:")
        lines += grouped(a.sources, lineage)
        lines.append("")
        lines.append(a.uses.isEmpty ? "No result of the layer depends on it."
                     : "\(count(a.uses.count, capital: true)) of the layer's results depend on it:")
        lines += grouped(a.uses, lineage)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func count(_ n: Int, capital: Bool = false) -> String {
        n == 1 ? (capital ? "One cell" : "one cell") : "\(n) cells"
    }

    /// Cells listed under the name of their tensor, one tensor a line.
    private static func grouped(_ cells: [CellRef], _ lineage: Lineage) -> [String] {
        var lines: [String] = []
        var i = 0
        while i < cells.count {
            let t = cells[i].tensor
            var j = i
            while j < cells.count, cells[j].tensor == t { j += 1 }
            let info = lineage.trace.tensors[Int(t.rawValue)]
            let indexes = cells[i..<j].map { "[" + Tensor.unravel($0.index, shape: info.shape).map(String.init).joined(separator: ", ") + "]" }
            lines.append("  \(info.name) (\(j - i)): " + indexes.joined(separator: " "))
            i = j
        }
        return lines
    }
}

/// The player's step numbers (from 1, over the steps the lesson shows) of trace steps.
struct ScreenSteps {
    private var shown: [Int: Int] = [:]
    init(_ board: Storyboard) {
        for (i, s) in board.visibleSteps.enumerated() { shown[s] = i + 1 }
    }
    func number(_ traceStep: Int) -> Int? { shown[traceStep] }
}

/// `NAME[i,j,…]` as typed after `--cell`.
struct CellName {
    var name: String
    var index: [Int]

    init(_ text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let open = t.firstIndex(of: "["), t.hasSuffix("]"), open != t.startIndex else {
            throw ValidationError("--cell must be a tensor's name and its index, like 'y[0,0,1,1]' (got \"\(text)\")")
        }
        let parts = t[t.index(after: open)..<t.index(before: t.endIndex)]
            .split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--cell must give whole numbers as the index, like 'y[0,0,1,1]' (got \"\(text)\")")
        }
        name = String(t[..<open]).trimmingCharacters(in: .whitespaces)
        index = parts.map { $0! }
    }

    /// The cell in `trace`: the tensor of this name declared last (by `step`, when given).
    func resolve(in trace: Trace, atStep step: Int?, shownAs what: String) throws -> CellRef {
        let found = step.map { trace.tensor(named: name, atStep: $0) }
            ?? trace.tensors.lastIndex(where: { $0.name == name }).map { TensorID(UInt16($0)) }
        guard let id = found else {
            var names: [String] = []
            for t in trace.tensors where !names.contains(t.name) { names.append(t.name) }
            let when = step == nil ? "" : " by that step"
            throw Failure("\(what) has no tensor named \(name)\(when); its tensors are \(names.joined(separator: ", "))")
        }
        let shape = trace.tensors[Int(id.rawValue)].shape
        let shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        guard index.count == shape.count else {
            throw Failure("\(name) has \(shape.count) axes, shape \(shapeText), but the cell gives \(index.count) indices")
        }
        var flat = 0
        for (i, n) in zip(index, shape) {
            guard i >= 0, i < n else {
                throw Failure("\(name)[\(index.map(String.init).joined(separator: ","))] is outside \(name), whose shape is \(shapeText)")
            }
            flat = flat * n + i
        }
        return CellRef(id, flat)
    }
}
