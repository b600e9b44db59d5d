import Engine
import Trace

/// Turns the front matter's settings into a `Scenario`, checking kinds, shapes and limits.
struct Setup {
    let fm: FrontMatter
    let readNPY: (String) throws -> Tensor

    static let convOnly = ["w.shape", "w.values", "w.symbols", "b.values", "form", "dilation", "activation", "optimizer"]
    static let poolOnly = ["pool", "pool.mode", "routing"]

    /// One of a fixed set of words, or `fallback` when the key is absent.
    func choice<T>(_ key: String, _ options: [(String, T)], _ fallback: T, _ d: inout Diagnostics) -> T? {
        guard let entry = fm[key] else { return fallback }
        let word = entry.value.text.lowercased()
        if let hit = options.first(where: { $0.0 == word }) { return hit.1 }
        let names = options.map(\.0)
        let near = Suggest.nearest(word, among: names) ?? names[0]
        d.add(entry.value.line, entry.value.column, "`\(key)` is one of \(names.map { "`\($0)`" }.joined(separator: ", ")), not `\(entry.value.text)`; did you mean `\(near)`?")
        return nil
    }

    func build(_ d: inout Diagnostics) -> Scenario? {
        let before = d.problems.count
        guard let opEntry = fm["operation"] else {
            d.add(1, 1, "the front matter needs `operation: conv` (a convolution layer) or `operation: pool` (a pooling layer)")
            return nil
        }
        guard let op = choice("operation", [("conv", Scenario.Operation.conv), ("pool", .pool)], .conv, &d) else { return nil }
        let isConv = op == .conv
        for key in isConv ? Self.poolOnly : Self.convOnly {
            if let e = fm[key] {
                let other = isConv ? "pool" : "conv"
                d.add(e.key.line, e.key.column, "`\(key)` applies only to `operation: \(other)`; remove it, or change `operation` on line \(opEntry.key.line)")
            }
        }
        let passes = choice("passes", Scenario.Passes.allCases.map { ($0.rawValue, $0) }, .forward, &d)
        let form = choice("form", ConvForm.allCases.map { ($0.rawValue, $0) }, .plain, &d)
        let layout = choice("layout", ColumnLayout.allCases.map { ($0.rawValue, $0) }, .seed, &d)
        let activation = choice("activation", Activation.allCases.map { ($0.rawValue, $0) }, .identity, &d)
        let poolMode = choice("pool.mode", PoolMode.allCases.map { ($0.rawValue, $0) }, .max, &d)
        let routing = choice("routing", Routing.allCases.map { ($0.rawValue, $0) }, .correct, &d)
        let optimizer = readOptimizer(&d)
        if !isConv, passes == .update, let e = fm["passes"] {
            d.add(e.value.line, e.value.column, "a pooling layer has no parameters to learn, so there is no update step; write `passes: backward`")
        }
        if let e = fm["optimizer"], passes != nil, passes != .update {
            d.add(e.key.line, e.key.column, "the optimizer is used only by the update step: add `passes: update`, or remove this line")
        }
        if let e = fm["grad.values"], passes == .forward {
            d.add(e.key.line, e.key.column, "the incoming gradient is used only by the backward pass: add `passes: backward`, or remove this line")
        }
        if routing == .seedBug, let e = fm["routing"] {
            if poolMode == .average {
                d.add(e.value.line, e.value.column, "the seed's routing bug concerns max pooling's argmax; use `pool.mode: max` or remove `routing`")
            } else if passes == .forward {
                d.add(e.value.line, e.value.column, "the routing happens in the backward pass: add `passes: backward` to see it")
            }
        }

        let pool = fm["pool"].flatMap { Values.pair($0.value, name: "pool", range: 1...LessonLimits.maxWindow, &d) } ?? Pair(2)
        let stride = fm["stride"].map { Values.pair($0.value, name: "stride", range: 1...LessonLimits.maxStride, &d) }
            ?? (isConv ? Pair(1) : pool)
        let dilation = fm["dilation"].map { Values.pair($0.value, name: "dilation", range: 1...LessonLimits.maxStride, &d) } ?? Pair(1)
        var pad: Padding? = .pair(Pair(0))
        if let e = fm["pad"] {
            if e.value.text.lowercased() == "same" {
                pad = .same
            } else {
                pad = Values.pair(e.value, name: "pad", range: 0...LessonLimits.maxPad, &d).map { .pair($0) }
            }
        }

        let x = readTensor("x", &d)
        let w = isConv ? readTensor("w", &d) : nil
        guard let passes, let form, let layout, let activation, let poolMode, let routing, let optimizer,
              let stride, let dilation, let pad, let x, d.problems.count == before else { return nil }
        guard checkInput(x.tensor, &d) else { return nil }

        let window: Pair
        if isConv {
            guard let w, checkFilter(w, input: x.tensor, &d) else { return nil }
            window = Pair(dilation.v * (w.tensor.shape[2] - 1) + 1, dilation.h * (w.tensor.shape[3] - 1) + 1)
        } else {
            window = pool
        }
        let geometryLine = fm["pad"]?.value ?? fm["stride"]?.value ?? fm["pool"]?.value ?? fm["w.shape"]?.value
            ?? fm["x.shape"]?.value ?? Located(text: "", line: opEntry.key.line, column: opEntry.key.column)
        guard let out = LessonGeometry.output(input: x.tensor.shape, window: window, stride: stride, pad: pad,
                                        at: geometryLine, &d) else { return nil }
        let channelsOut = isConv ? w!.tensor.shape[0] : x.tensor.shape[1]
        let windowCells = isConv ? w!.tensor.shape[1] * w!.tensor.shape[2] * w!.tensor.shape[3] : pool.v * pool.h
        let work = channelsOut * windowCells * x.tensor.shape[0] * out.v * out.h
        guard work <= LessonLimits.maxMultiplyAdds else {
            d.add(geometryLine.line, geometryLine.column, "this layer does \(work) multiplications (\(isConv ? "M·C·FH·FW·B·OH·OW" : "B·C·OH·OW·PH·PW")), over the lesson limit of \(LessonLimits.maxMultiplyAdds); use a smaller input, fewer filters or a larger stride")
            return nil
        }

        var b: Tensor?
        if isConv, let e = fm["b.values"] {
            guard let spec = Values.spec(e.value, name: "b.values", &d),
                  let t = materialize(spec, shape: [channelsOut], name: "b", at: e.value, &d) else { return nil }
            b = t
        }
        var grad: Tensor?
        if let e = fm["grad.values"] {
            let shape = [x.tensor.shape[0], channelsOut, out.v, out.h]
            guard let spec = Values.spec(e.value, name: "grad.values", &d),
                  let t = materialize(spec, shape: shape, name: "grad", at: e.value, &d) else { return nil }
            grad = t
        }
        return Scenario(operation: op, passes: passes, x: x.tensor, xLabels: x.labels,
                        w: w?.tensor, wLabels: w?.labels, b: b, grad: grad,
                        stride: stride, pad: pad, dilation: dilation, form: form, layout: layout,
                        activation: activation, optimizer: optimizer, pool: pool, poolMode: poolMode,
                        routing: routing)
    }

    private func readOptimizer(_ d: inout Diagnostics) -> Optimizer? {
        guard let e = fm["optimizer"] else { return .defaultSGD }
        guard let c = Values.call(e.value), c.name == "sgd" || c.name == "adam" else {
            d.add(e.value.line, e.value.column, "write the optimizer as `sgd(lr=0.1)` or `adam(lr=0.01)` (Adam also takes `beta1`, `beta2`, `eps`)")
            return nil
        }
        var lr = c.name == "sgd" ? 0.01 : 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8
        let allowed = c.name == "sgd" ? ["lr"] : ["lr", "beta1", "beta2", "eps"]
        var ok = true
        for (key, arg) in c.arguments {
            guard allowed.contains(key) else {
                let near = Suggest.nearest(key, among: allowed) ?? "lr"
                d.add(arg.line, arg.column, "\(c.name)() takes \(allowed.map { "`\($0)`" }.joined(separator: ", ")), not `\(key)`; did you mean `\(near)`?")
                ok = false
                continue
            }
            guard let v = Values.number(arg, name: key, &d) else { ok = false; continue }
            let valid: Bool
            switch key {
            case "lr": valid = v > 0 && v <= LessonLimits.maxLearningRate; lr = v
            case "eps": valid = v > 0 && v <= 1; eps = v
            default: valid = v >= 0 && v < 1; if key == "beta1" { beta1 = v } else { beta2 = v }
            }
            if !valid {
                let range = key == "lr" ? "above 0 and at most \(Int(LessonLimits.maxLearningRate))" : key == "eps" ? "above 0 and at most 1" : "at least 0 and below 1"
                d.add(arg.line, arg.column, "`\(key)` is \(arg.text); it must be \(range)")
                ok = false
            }
        }
        guard ok else { return nil }
        return c.name == "sgd" ? .sgd(lr: lr) : .adam(lr: lr, beta1: beta1, beta2: beta2, eps: eps)
    }

    struct Given {
        var tensor: Tensor
        var labels: [String]?
        var line: Located
    }

    /// `x` or `w` from its `.shape`, `.values` and `.symbols` keys. Without values the cells
    /// count up from 1, which is what the seed's worked example does.
    private func readTensor(_ name: String, _ d: inout Diagnostics) -> Given? {
        let shapeEntry = fm["\(name).shape"], valuesEntry = fm["\(name).values"], symbolsEntry = fm["\(name).symbols"]
        let spec = valuesEntry.flatMap { Values.spec($0.value, name: "\(name).values", &d) }
        let labels = symbolsEntry.flatMap { Values.symbols($0.value, name: "\(name).symbols", &d) }
        var declared = shapeEntry.flatMap { Values.shape($0.value, name: "\(name).shape", &d) }
        if shapeEntry != nil && declared == nil { return nil }
        if valuesEntry != nil && spec == nil { return nil }
        if symbolsEntry != nil && labels == nil { return nil }

        var tensor: Tensor
        var anchor: Located
        if case .file(let path)? = spec, let at = valuesEntry?.value {
            do {
                tensor = try readNPY(path)
            } catch {
                d.add(at.line, at.column, "cannot read `\(path)`: \(error)")
                return nil
            }
            guard Self.checkFinite(tensor, path: path, at: at, &d) else { return nil }
            if tensor.rank == 2 { tensor = Tensor(shape: [1, 1] + tensor.shape, data: tensor.data) }
            guard tensor.rank == 4 else {
                d.add(at.line, at.column, "`\(path)` holds an array of shape \(tensor.shape); `\(name)` needs four axes \(name == "w" ? "(M, C, FH, FW)" : "(B, C, H, W)") (or two)")
                return nil
            }
            if let declared, declared != tensor.shape, let s = shapeEntry {
                d.add(s.value.line, s.value.column, "`\(name).shape` says \(shapeText(declared)) but `\(path)` holds \(shapeText(tensor.shape)); remove `\(name).shape` or make them agree")
                return nil
            }
            anchor = at
            declared = tensor.shape
        } else {
            guard let shape = declared, let s = shapeEntry else {
                let example = name == "w" ? "w.shape: 1,1,2,2" : "x.shape: 1,1,4,4"
                d.add(1, 1, "the front matter needs `\(name).shape` (for example `\(example)`) or `\(name).values` naming a `.npy` file")
                return nil
            }
            guard Self.checkSides(shape, name: name, at: s.value, &d) else { return nil }
            anchor = valuesEntry?.value ?? s.value
            guard let t = materialize(spec ?? .ramp(first: 1, last: shape.reduce(1, *)), shape: shape,
                                      name: name, at: anchor, &d) else { return nil }
            tensor = t
        }
        if let labels, let s = symbolsEntry, labels.count != tensor.count {
            d.add(s.value.line, s.value.column, "`\(name).symbols` names \(labels.count) cells but \(name) \(shapeText(tensor.shape)) has \(tensor.count); give one name per cell, row by row")
            return nil
        }
        return Given(tensor: tensor, labels: labels, line: anchor)
    }

    /// Every side within the limits before anything multiplies them (so nothing overflows).
    static func checkSides(_ shape: [Int], name: String, at: Located, _ d: inout Diagnostics) -> Bool {
        let limits = name == "w"
            ? [("M (filters)", LessonLimits.maxFilters), ("C (channels)", LessonLimits.maxChannels), ("FH", LessonLimits.maxWindow), ("FW", LessonLimits.maxWindow)]
            : [("B (batch)", LessonLimits.maxBatch), ("C (channels)", LessonLimits.maxChannels), ("H", LessonLimits.maxSide), ("W", LessonLimits.maxSide)]
        for (size, limit) in zip(shape, limits) where size > limit.1 {
            d.add(at.line, at.column, "\(name) \(shapeText(shape)) is over the lesson limits: \(limit.0) is \(size), at most \(limit.1) (Lessons/README.md lists the limits)")
            return false
        }
        return true
    }

    /// File values obey the same limits as written ones: finite and readable.
    static func checkFinite(_ t: Tensor, path: String, at: Located, _ d: inout Diagnostics) -> Bool {
        guard let bad = t.data.first(where: { !$0.isFinite || abs($0) > LessonLimits.maxMagnitude }) else { return true }
        d.add(at.line, at.column, "`\(path)` holds the value \(bad); lesson values are finite and within ±\(Int(LessonLimits.maxMagnitude))")
        return false
    }

    private func checkInput(_ x: Tensor, _ d: inout Diagnostics) -> Bool {
        let at = fm["x.shape"]?.value ?? fm["x.values"]?.value ?? Located(text: "", line: 1, column: 1)
        guard Self.checkSides(x.shape, name: "x", at: at, &d) else { return false }
        guard x.count <= LessonLimits.maxInputCells else {
            d.add(at.line, at.column, "x \(shapeText(x.shape)) has \(x.count) cells, over the lesson limit of \(LessonLimits.maxInputCells); use a smaller batch, fewer channels or a smaller image")
            return false
        }
        return true
    }

    private func checkFilter(_ w: Given, input x: Tensor, _ d: inout Diagnostics) -> Bool {
        let at = fm["w.shape"]?.value ?? w.line
        guard Self.checkSides(w.tensor.shape, name: "w", at: at, &d) else { return false }
        guard w.tensor.shape[1] == x.shape[1] else {
            d.add(at.line, at.column, "the filter \(shapeText(w.tensor.shape)) has \(w.tensor.shape[1]) channel(s) but the input \(shapeText(x.shape)) has \(x.shape[1]); a filter has as many channels as its input: write `w.shape: \(w.tensor.shape[0]),\(x.shape[1]),\(w.tensor.shape[2]),\(w.tensor.shape[3])`")
            return false
        }
        return true
    }

    /// Values for a tensor of `shape` from their spec, when their number fits.
    func materialize(_ spec: ValueSpec, shape: [Int], name: String, at: Located, _ d: inout Diagnostics) -> Tensor? {
        let count = shape.reduce(1, *)
        let data: [Double]
        switch spec {
        case .list(let numbers):
            guard numbers.count == count else {
                d.add(at.line, at.column, "\(name) has shape \(shapeText(shape)), which holds \(count) values, but \(numbers.count) are given; give \(count) numbers, a ramp such as `1..\(count)`, or `random(seed=1)`")
                return nil
            }
            data = numbers
        case .ramp(let first, let last):
            let n = abs(last - first) + 1
            guard n == count else {
                d.add(at.line, at.column, "the ramp \(first)..\(last) has \(n) values but \(name) \(shapeText(shape)) holds \(count); write `\(first)..\(first + count - 1)`")
                return nil
            }
            let step = last >= first ? 1 : -1
            data = (0..<count).map { Double(first + $0 * step) }
        case .zeros: data = Array(repeating: 0, count: count)
        case .ones: data = Array(repeating: 1, count: count)
        case .random(let seed, let low, let high):
            var g = SplitMix64(seed: seed)
            data = (0..<count).map { _ in Double(g.integer(low, high)) }
        case .file(let path):
            do {
                let t = try readNPY(path)
                guard Self.checkFinite(t, path: path, at: at, &d) else { return nil }
                guard t.count == count else {
                    d.add(at.line, at.column, "`\(path)` holds \(shapeText(t.shape)) but \(name) must have shape \(shapeText(shape))")
                    return nil
                }
                data = t.data
            } catch {
                d.add(at.line, at.column, "cannot read `\(path)`: \(error)")
                return nil
            }
        }
        return Tensor(shape: shape, data: data)
    }
}
