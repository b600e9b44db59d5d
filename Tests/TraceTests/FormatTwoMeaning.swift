import Foundation

/// What the axis names of a trace mean, checked against direct loops over the layer: every
/// quantity the page names is computed here from the given tensors and the layer's settings
/// alone, indexed by axis name, and every cell of every tensor is compared with the quantity
/// at the coordinates its axes name.
extension FormatTwo {
    static let singleNames: Set<String> = ["b", "c", "m", "h", "w", "oh", "ow", "fh", "fw"]

    /// The single names of one dimension (none for `""`).
    static func parts(_ axis: String) -> [String] {
        axis.isEmpty ? [] : axis.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    // MARK: The axes alone (the vocabulary, the lengths, reshape and transpose)

    /// Every tensor's `axes` against its shape, `layer.sizes` and the vocabulary; every
    /// derived tensor's axes against its source's. Returns the problems found.
    static func checkAxes(_ file: File) -> [String] {
        var problems: [String] = []
        let sizes = file.layer.sizes
        for t in file.tensors {
            let what = "tensor \(t.id) \(t.name) \(t.shape) \(t.axes)"
            guard t.axes.count == t.shape.count else {
                problems.append("\(what): \(t.axes.count) axis names for \(t.shape.count) dimensions")
                continue
            }
            var seen: [String] = []
            for (d, axis) in t.axes.enumerated() {
                let names = parts(axis)
                if names.isEmpty {
                    if t.shape[d] != 1 { problems.append("\(what): dimension \(d) is named \"\" but has length \(t.shape[d])") }
                    continue
                }
                var length = 1
                for n in names {
                    guard singleNames.contains(n) else {
                        problems.append("\(what): \"\(n)\" is not in the vocabulary")
                        length = -1
                        break
                    }
                    seen.append(n)
                    if n == "h" || n == "w" {
                        if names.count > 1 { problems.append("\(what): \(n) is grouped, so its length is unknown") }
                        length *= t.shape[d]
                        // `h` and `w` are the unpadded input's; a padded tensor adds its pad.
                        guard let base = sizes[n] else {
                            problems.append("\(what): layer.sizes has no \(n)")
                            continue
                        }
                        let extra = t.pad.map { $0.count == t.shape.count ? $0[d].reduce(0, +) : -1 } ?? 0
                        if t.shape[d] != base + extra {
                            problems.append("\(what): \(n) has length \(t.shape[d]); sizes.\(n) is \(base) and the pad adds \(extra)")
                        }
                    } else if let s = sizes[n] {
                        length *= s
                    } else {
                        problems.append("\(what): layer.sizes has no \(n)")
                        length = -1
                        break
                    }
                }
                if length >= 0, length != t.shape[d] {
                    problems.append("\(what): dimension \(d) \"\(axis)\" should have length \(length) by layer.sizes, has \(t.shape[d])")
                }
            }
            if Set(seen).count != seen.count { problems.append("\(what): a name is used twice") }
            // (c) derived tensors: numpy's rules for names.
            if let of = t.of, of >= 0, of < file.tensors.count {
                let source = file.tensors[of]
                switch t.origin {
                case "reshape":
                    let mine = t.axes.flatMap(parts), theirs = source.axes.flatMap(parts)
                    if mine != theirs {
                        problems.append("\(what): a reshape of \(source.name) \(source.axes) must keep the names in order (\(theirs)), has \(mine)")
                    }
                    if t.count != source.count { problems.append("\(what): a reshape of \(source.count) cells has \(t.count)") }
                case "transpose":
                    if let perm = t.perm, perm.count == source.axes.count, perm.allSatisfy({ $0 >= 0 && $0 < source.axes.count }) {
                        let want = perm.map { source.axes[$0] }
                        if t.axes != want {
                            problems.append("\(what): \(source.name) \(source.axes) transposed by \(perm) is \(want)")
                        }
                        if t.shape != perm.map({ source.shape[$0] }) {
                            problems.append("\(what): \(source.shape) transposed by \(perm) is not \(t.shape)")
                        }
                    } else {
                        problems.append("\(what): the permutation \(String(describing: t.perm)) does not fit \(source.axes)")
                    }
                default: break
                }
            }
            // `pad`: on the zero-padded tensors only, as np.pad takes it.
            let padded = t.name == "x_pad" || t.name == "dx_pad"
            if padded {
                let (ph, pw) = (file.layer.pad[0], file.layer.pad[1])
                if t.pad == nil || t.pad! != [[0, 0], [0, 0], [ph, ph], [pw, pw]] {
                    problems.append("\(what): pad is \(String(describing: t.pad)), the layer's pad gives \([[0, 0], [0, 0], [ph, ph], [pw, pw]])")
                }
            } else if t.pad != nil {
                problems.append("\(what) has a pad but is not a zero-padded tensor")
            }
        }
        return problems
    }

    // MARK: Quantities indexed by axis names

    struct Quantity {
        let label: String
        let names: [String]
        let lengths: [Int]
        var data: [Double]

        init(_ label: String, _ names: [String], _ lengths: [Int], fill: Double = 0) {
            precondition(names.count == lengths.count)
            self.label = label
            self.names = names
            self.lengths = lengths
            data = [Double](repeating: fill, count: lengths.reduce(1, *))
        }

        func offset(_ index: [Int]) -> Int {
            var o = 0
            for (i, n) in zip(index, lengths) { o = o * n + i }
            return o
        }

        subscript(_ index: Int...) -> Double {
            get { data[offset(index)] }
            set { data[offset(index)] = newValue }
        }

        private init(label: String, names: [String], lengths: [Int], data: [Double]) {
            self.label = label
            self.names = names
            self.lengths = lengths
            self.data = data
        }

        func map(_ label: String, _ f: (Double) -> Double) -> Quantity {
            Quantity(label: label, names: names, lengths: lengths, data: data.map(f))
        }
    }

    /// The layer computed by direct loops, and which quantity each `(name, role, pass)` holds.
    struct Reference {
        var table: [String: Quantity] = [:]
        /// The quantities some tensors hold before a later phase changes them in place.
        var productBeforeBias: Quantity?
        var parametersBeforeUpdate: [String: Quantity] = [:]
        var problems: [String] = []

        static func key(_ name: String, _ role: String, _ pass: String) -> String { "\(name) | \(role) | \(pass)" }

        subscript(_ t: TensorEntry) -> Quantity? { table[Reference.key(t.name, t.role, t.pass)] }

        mutating func set(_ q: Quantity, _ entries: [(String, String, String)]) {
            for (n, r, p) in entries { table[Reference.key(n, r, p)] = q }
        }
    }

    /// The given tensor called `name` with `role`.
    static func given(_ file: File, _ name: String, _ role: String) -> TensorEntry? {
        file.tensors.first { $0.name == name && $0.role == role && $0.origin == "given" }
    }

    static func activate(_ u: Double, _ activation: String) -> Double {
        switch activation {
        case "relu": return u > 0 ? u : 0
        case "sigmoid": return 1 / (1 + exp(-u))
        case "tanh": return tanh(u)
        default: return u
        }
    }

    /// The activation's derivative at `u` (whose activation is `y`).
    static func derivative(_ u: Double, _ y: Double, _ activation: String) -> Double {
        switch activation {
        case "relu": return u > 0 ? 1 : 0
        case "sigmoid": return y * (1 - y)
        case "tanh": return 1 - y * y
        default: return 1
        }
    }

    static func reference(_ file: File) -> Reference {
        var ref = Reference()
        let layer = file.layer
        guard let xEntry = given(file, "x", "input"), xEntry.shape.count == 4, xEntry.axes == ["b", "c", "h", "w"] else {
            ref.problems.append("no given x (B, C, H, W) [b, c, h, w] with role input")
            return ref
        }
        let (B, C, H, W) = (xEntry.shape[0], xEntry.shape[1], xEntry.shape[2], xEntry.shape[3])
        let (SH, SW) = (layer.stride[0], layer.stride[1])
        let (PH, PW) = (layer.pad[0], layer.pad[1])
        let (DH, DW) = (layer.dilation[0], layer.dilation[1])
        let isConv = layer.operation == "conv"
        let M: Int, FH: Int, FW: Int
        if isConv {
            guard let f = layer.filter, f.count == 4, f[1] == C else {
                ref.problems.append("the layer's filter \(String(describing: layer.filter)) does not fit x \(xEntry.shape)")
                return ref
            }
            (M, FH, FW) = (f[0], f[2], f[3])
        } else {
            guard let p = layer.pool, p.count == 2 else {
                ref.problems.append("the layer has no pool window")
                return ref
            }
            (M, FH, FW) = (C, p[0], p[1])
        }
        let (HP, WP) = (H + 2 * PH, W + 2 * PW)
        let OH = (HP - (DH * (FH - 1) + 1)) / SH + 1
        let OW = (WP - (DW * (FW - 1) + 1)) / SW + 1
        var want = ["b": B, "c": C, "h": H, "w": W, "oh": OH, "ow": OW, "fh": FH, "fw": FW]
        if isConv { want["m"] = M }
        if layer.sizes != want { ref.problems.append("layer.sizes is \(layer.sizes), the layer gives \(want)") }

        let x = Quantity("x", ["b", "c", "h", "w"], [B, C, H, W])
        var X = x
        X.data = xEntry.initial!
        var XP = Quantity("the padded input", ["b", "c", "h", "w"], [B, C, HP, WP])
        for b in 0..<B { for c in 0..<C { for h in 0..<H { for w in 0..<W {
            XP[b, c, h + PH, w + PW] = X[b, c, h, w]
        } } } }
        var win = Quantity("the window values", ["c", "fh", "fw", "b", "oh", "ow"], [C, FH, FW, B, OH, OW])
        for c in 0..<C { for fh in 0..<FH { for fw in 0..<FW { for b in 0..<B { for oh in 0..<OH { for ow in 0..<OW {
            win[c, fh, fw, b, oh, ow] = XP[b, c, oh * SH + fh * DH, ow * SW + fw * DW]
        } } } } } }
        ref.set(X, [("x", "input", "forward")])
        ref.set(XP, [("x_pad", "intermediate", "forward")])
        ref.set(win, [("cols", "intermediate", "forward"), ("cols_T", "intermediate", "forward")])

        let gradEntry = given(file, "grad", "gradient")
        let backward = gradEntry != nil
        // The layer's fields, each where the page says it is.
        let present: [(String, Bool, Bool)] = [
            ("form", layer.form != nil, isConv), ("filter", layer.filter != nil, isConv),
            ("activation", layer.activation != nil, isConv), ("optimizer", layer.optimizer != nil, isConv),
            ("pool", layer.pool != nil, !isConv), ("pool_mode", layer.poolMode != nil, !isConv),
            ("routing", layer.routing != nil, !isConv && layer.poolMode == "max" && backward),
        ]
        for (field, has, should) in present where has != should {
            ref.problems.append("the layer \(has ? "has" : "lacks") \(field) (\(layer.operation), \(backward ? "backward" : "forward only"))")
        }
        if !isConv && layer.layout != "seed" { ref.problems.append("pooling's layout is \(layer.layout), not seed") }
        /// The gradient of the padded input from the gradient of the window values, and its crop.
        func col2im(_ g: Quantity) -> (Quantity, Quantity) {
            var dxp = Quantity("the gradient of the padded input", ["b", "c", "h", "w"], [B, C, HP, WP])
            for c in 0..<C { for fh in 0..<FH { for fw in 0..<FW { for b in 0..<B { for oh in 0..<OH { for ow in 0..<OW {
                dxp[b, c, oh * SH + fh * DH, ow * SW + fw * DW] += g[c, fh, fw, b, oh, ow]
            } } } } } }
            var dx = Quantity("the gradient of the input", ["b", "c", "h", "w"], [B, C, H, W])
            for b in 0..<B { for c in 0..<C { for h in 0..<H { for w in 0..<W {
                dx[b, c, h, w] = dxp[b, c, h + PH, w + PW]
            } } } }
            return (dxp, dx)
        }

        if isConv {
            guard let wEntry = given(file, "w", "weights"), wEntry.axes == ["m", "c", "fh", "fw"],
                  wEntry.shape == [M, C, FH, FW], let bEntry = given(file, "b", "bias"), bEntry.count == M else {
                ref.problems.append("no given w (M, C, FH, FW) [m, c, fh, fw] and b with M values")
                return ref
            }
            let activation = layer.activation ?? "identity"
            let form = layer.form ?? "plain"
            let update = file.phases.contains { $0.kind == "update" }
            var Wt = Quantity("w", ["m", "c", "fh", "fw"], [M, C, FH, FW])
            Wt.data = wEntry.initial!
            var bias = Quantity("b", ["m"], [M])
            bias.data = bEntry.initial!
            var out = Quantity("the convolution before the bias", ["b", "m", "oh", "ow"], [B, M, OH, OW])
            for b in 0..<B { for m in 0..<M { for oh in 0..<OH { for ow in 0..<OW {
                var s = 0.0
                for c in 0..<C { for fh in 0..<FH { for fw in 0..<FW {
                    s += win[c, fh, fw, b, oh, ow] * Wt[m, c, fh, fw]
                } } }
                out[b, m, oh, ow] = s
            } } } }
            var U = out.map("the convolution with the bias") { $0 }
            for b in 0..<B { for m in 0..<M { for oh in 0..<OH { for ow in 0..<OW {
                U[b, m, oh, ow] = out[b, m, oh, ow] + bias[m]
            } } } }
            let Y = U.map("the activation (\(activation))") { activate($0, activation) }
            ref.productBeforeBias = out
            ref.set(Wt, [("w", "weights", "forward")])
            ref.set(out, [("out", "output", "forward")])
            ref.set(U, [("u", "intermediate", "forward")])
            ref.set(Y, form == "plain" ? [("y", "output", "forward")]
                                       : [("y", "output", "forward"), ("y", "intermediate", "forward")])
            // The parameters, updated in place when the update runs.
            ref.set(Wt, [("w_mat", "weights", "forward"), ("w_T", "weights", "forward")])
            ref.set(bias, [("b", "bias", "forward")])
            if backward, let gradEntry {
                guard gradEntry.shape == [B, M, OH, OW], gradEntry.axes == ["b", "m", "oh", "ow"] else {
                    ref.problems.append("the given grad is \(gradEntry.shape) \(gradEntry.axes), not (B, M, OH, OW) [b, m, oh, ow]")
                    return ref
                }
                var G = Quantity("grad", ["b", "m", "oh", "ow"], [B, M, OH, OW])
                G.data = gradEntry.initial!
                var dact = Quantity("grad times the activation's derivative", ["b", "m", "oh", "ow"], [B, M, OH, OW])
                for i in 0..<dact.data.count {
                    dact.data[i] = G.data[i] * derivative(U.data[i], Y.data[i], activation)
                }
                var gw = Quantity("grad_w", ["m", "c", "fh", "fw"], [M, C, FH, FW])
                var gb = Quantity("grad_b", ["m"], [M])
                var gcols = Quantity("the gradient of the window values", ["c", "fh", "fw", "b", "oh", "ow"], [C, FH, FW, B, OH, OW])
                for m in 0..<M { for c in 0..<C { for fh in 0..<FH { for fw in 0..<FW {
                    var s = 0.0
                    for b in 0..<B { for oh in 0..<OH { for ow in 0..<OW {
                        s += dact[b, m, oh, ow] * win[c, fh, fw, b, oh, ow]
                    } } }
                    gw[m, c, fh, fw] = s
                } } } }
                for m in 0..<M {
                    var s = 0.0
                    for b in 0..<B { for oh in 0..<OH { for ow in 0..<OW { s += dact[b, m, oh, ow] } } }
                    gb[m] = s
                }
                for c in 0..<C { for fh in 0..<FH { for fw in 0..<FW { for b in 0..<B { for oh in 0..<OH { for ow in 0..<OW {
                    var s = 0.0
                    for m in 0..<M { s += Wt[m, c, fh, fw] * dact[b, m, oh, ow] }
                    gcols[c, fh, fw, b, oh, ow] = s
                } } } } } }
                let (dxp, dx) = col2im(gcols)
                ref.set(G, [("grad", "gradient", "backward"), ("grad_mat", "gradient", "backward")])
                ref.set(dact, [("dact", "gradient", "backward"), ("dact_mat", "gradient", "backward")])
                ref.set(gw, [("grad_w", "gradient", "backward")])
                ref.set(gb, [("grad_b", "gradient", "backward")])
                ref.set(gcols, [("grad_cols", "gradient", "backward"), ("grad_cols_T", "gradient", "backward")])
                ref.set(dxp, [("dx_pad", "gradient", "backward")])
                ref.set(dx, [("dx", "output", "backward")])
                if update {
                    guard let optimizer = layer.optimizer else {
                        ref.problems.append("an update without an optimizer in the layer")
                        return ref
                    }
                    /// One step of the optimizer from `p` with gradient `g`, as the page gives it (t = 1).
                    func step(_ p: Quantity, _ g: Quantity, _ label: String) -> (Quantity, Quantity?, Quantity?) {
                        var new = p.map("\(label) after the update") { $0 }
                        switch optimizer {
                        case .sgd(let lr):
                            for i in 0..<p.data.count { new.data[i] = p.data[i] - lr * g.data[i] }
                            return (new, nil, nil)
                        case .adam(let lr, let beta1, let beta2, let eps):
                            var m = p.map("Adam's m for \(label)") { _ in 0 }
                            var v = p.map("Adam's v for \(label)") { _ in 0 }
                            // The page's formulas at t = 1, from m = v = 0.
                            let t = 1.0
                            for i in 0..<p.data.count {
                                m.data[i] = beta1 * 0 + (1 - beta1) * g.data[i]
                                v.data[i] = beta2 * 0 + (1 - beta2) * g.data[i] * g.data[i]
                                let mh = m.data[i] / (1 - pow(beta1, t))
                                let vh = v.data[i] / (1 - pow(beta2, t))
                                new.data[i] = p.data[i] - lr * mh / (vh.squareRoot() + eps)
                            }
                            return (new, m, v)
                        }
                    }
                    let (wNew, am, av) = step(Wt, gw, "w")
                    let (bNew, amb, avb) = step(bias, gb, "b")
                    ref.parametersBeforeUpdate = [form == "plain" ? "w_mat" : "w_T": Wt, "b": bias]
                    ref.set(wNew, [(form == "plain" ? "w_mat" : "w_T", "weights", "forward")])
                    ref.set(bNew, [("b", "bias", "forward")])
                    if let am, let av, let amb, let avb {
                        ref.set(am, [("adam_m", "optimizer-state", "update")])
                        ref.set(av, [("adam_v", "optimizer-state", "update")])
                        ref.set(amb, [("adam_m_b", "optimizer-state", "update")])
                        ref.set(avb, [("adam_v_b", "optimizer-state", "update")])
                    }
                }
            }
        } else {
            let mode = layer.poolMode ?? "max"
            let n = FH * FW
            var pooled = Quantity(mode == "max" ? "the window maximum" : "the window mean", ["b", "c", "oh", "ow"], [B, C, OH, OW])
            var argmax = Quantity("the first argmax of the window", ["b", "c", "oh", "ow"], [B, C, OH, OW])
            for b in 0..<B { for c in 0..<C { for oh in 0..<OH { for ow in 0..<OW {
                // The first maximum, scanning the window row-major.
                var best = 0, top = win[c, 0, 0, b, oh, ow], sum = 0.0
                for fh in 0..<FH { for fw in 0..<FW {
                    let v = win[c, fh, fw, b, oh, ow]
                    sum += v / Double(n)
                    if v > top { (best, top) = (fh * FW + fw, v) }
                } }
                pooled[b, c, oh, ow] = mode == "max" ? top : sum
                argmax[b, c, oh, ow] = Double(best)
            } } } }
            ref.set(win, [("x_rows", "intermediate", "forward")])
            ref.set(pooled, [("y_rows", "intermediate", "forward"), ("y", "intermediate", "forward"), ("y", "output", "forward")])
            if mode == "max" { ref.set(argmax, [("max_index", "intermediate", "forward")]) }
            if backward, let gradEntry {
                guard gradEntry.shape == [B, C, OH, OW], gradEntry.axes == ["b", "c", "oh", "ow"] else {
                    ref.problems.append("the given grad is \(gradEntry.shape) \(gradEntry.axes), not (B, C, OH, OW) [b, c, oh, ow]")
                    return ref
                }
                var G = Quantity("grad", ["b", "c", "oh", "ow"], [B, C, OH, OW])
                G.data = gradEntry.initial!
                let routing = layer.routing ?? "correct"
                let anyArgmax = Set(argmax.data.map { Int($0) })
                var routed = Quantity("the routed gradient (\(mode), \(routing))", ["b", "oh", "ow", "c", "fh", "fw"], [B, OH, OW, C, FH, FW])
                for b in 0..<B { for oh in 0..<OH { for ow in 0..<OW { for c in 0..<C { for fh in 0..<FH { for fw in 0..<FW {
                    let col = fh * FW + fw
                    let g = G[b, c, oh, ow]
                    if mode == "average" {
                        routed[b, oh, ow, c, fh, fw] = g / Double(n)
                    } else if routing == "seed-bug" {
                        routed[b, oh, ow, c, fh, fw] = anyArgmax.contains(col) ? g : 0
                    } else {
                        routed[b, oh, ow, c, fh, fw] = Int(argmax[b, c, oh, ow]) == col ? g : 0
                    }
                } } } } } }
                var asColumns = Quantity("the routed gradient", ["c", "fh", "fw", "b", "oh", "ow"], [C, FH, FW, B, OH, OW])
                for b in 0..<B { for oh in 0..<OH { for ow in 0..<OW { for c in 0..<C { for fh in 0..<FH { for fw in 0..<FW {
                    asColumns[c, fh, fw, b, oh, ow] = routed[b, oh, ow, c, fh, fw]
                } } } } } }
                let (dxp, dx) = col2im(asColumns)
                ref.set(G, [("grad", "gradient", "backward")])
                ref.set(routed, [("grad_rows", "gradient", "backward"), ("grad_x", "gradient", "backward"),
                                 ("grad_cols", "gradient", "backward")])
                ref.set(dxp, [("dx_pad", "gradient", "backward")])
                ref.set(dx, [("dx", "output", "backward")])
            }
        }
        return ref
    }

    // MARK: Every cell against its quantity

    static func same(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }

    struct Report {
        var cells = 0
        var problems: [String] = []
        /// The ids of the tensors with a problem.
        var tensors: Set<Int> = []
    }

    /// Compares every cell of `t` with `q` at the coordinates its axes name. The axes must name
    /// exactly the quantity's names, each with the quantity's length.
    static func check(_ t: TensorEntry, _ values: [Double], against q: Quantity, sizes: [String: Int],
                      into report: inout Report, when: String = "at the end") {
        let what = "tensor \(t.id) \(t.name) (\(t.role), \(t.pass)) \(t.shape) \(t.axes) \(when)"
        func fail(_ message: String) {
            report.problems.append("\(what): \(message)")
            report.tensors.insert(t.id)
        }
        guard t.axes.count == t.shape.count else { return fail("axes do not fit the shape") }
        // For each dimension, its parts: (length, position in the quantity's names).
        var dims: [[(length: Int, position: Int)]] = []
        var named: [String] = []
        for (d, axis) in t.axes.enumerated() {
            var dim: [(length: Int, position: Int)] = []
            for n in parts(axis) {
                guard let position = q.names.firstIndex(of: n) else {
                    return fail("names \(n), which \(q.label) \(q.names) does not count")
                }
                let length = (n == "h" || n == "w") ? t.shape[d] : (sizes[n] ?? -1)
                guard length == q.lengths[position] else {
                    return fail("\(n) has length \(length), \(q.label) has \(q.lengths[position])")
                }
                dim.append((length, position))
                named.append(n)
            }
            guard dim.map(\.length).reduce(1, *) == t.shape[d] else {
                return fail("dimension \(d) \"\(axis)\" does not have length \(t.shape[d])")
            }
            dims.append(dim)
        }
        guard named.sorted() == q.names.sorted() else {
            return fail("names \(named), but \(q.label) counts \(q.names)")
        }
        guard values.count == t.count else { return fail("has \(values.count) values") }
        var mismatches = 0
        var coordinates = [Int](repeating: 0, count: q.names.count)
        for flat in 0..<t.count {
            let index = unravel(flat, t.shape)
            for (d, dim) in dims.enumerated() {
                var rest = index[d]
                for part in dim.reversed() {
                    coordinates[part.position] = rest % part.length
                    rest /= part.length
                }
            }
            let expected = q.data[q.offset(coordinates)]
            report.cells += 1
            if !same(values[flat], expected) {
                mismatches += 1
                if mismatches <= 3 {
                    let at = zip(q.names, coordinates).map { "\($0)=\($1)" }.joined(separator: ", ")
                    fail("cell \(flat) \(index) is (\(at)): \(q.label) is \(expected), the trace has \(values[flat])")
                }
            }
        }
        if mismatches > 3 { fail("\(mismatches) cells differ in all") }
    }

    /// Every tensor of the trace against the reference, at the end of the trace; and the
    /// tensors a later phase changes in place, at the start of that phase.
    static func checkMeaning(_ file: File, values: [[Double]], reference ref: Reference) throws -> Report {
        var report = Report()
        report.problems += ref.problems
        for t in file.tensors {
            guard let q = ref[t] else {
                report.problems.append("tensor \(t.id) \(t.name) (role \(t.role), pass \(t.pass)) is none of the page's tensors")
                report.tensors.insert(t.id)
                continue
            }
            check(t, values[t.id], against: q, sizes: file.layer.sizes, into: &report)
        }
        // What the page says `y` and `dx` are: the last of each is what its pass hands on.
        for name in ["y", "dx"] {
            if let last = file.tensors.last(where: { $0.name == name }), last.role != "output" {
                report.problems.append("the last \(name) (tensor \(last.id)) has role \(last.role), not output")
            }
        }
        func phaseStart(_ kind: String) -> Int? {
            file.events.firstIndex { $0.k == "phase" && file.phases[$0.phase!].kind == kind }
        }
        // `u` holds the product alone until the bias is added to it.
        if let out = ref.productBeforeBias, let start = phaseStart("bias") {
            let before = try rebuild(file, events: start)
            for t in file.tensors where t.name == "u" && t.origin == "zeros" {
                check(t, before[t.id], against: out, sizes: file.layer.sizes, into: &report, when: "before the bias phase")
            }
        }
        // The parameters are the given ones until the update changes them.
        if !ref.parametersBeforeUpdate.isEmpty, let start = phaseStart("update") {
            let before = try rebuild(file, events: start)
            for (name, q) in ref.parametersBeforeUpdate {
                guard let t = file.tensors.last(where: { $0.name == name }) else {
                    report.problems.append("no \(name) to update")
                    continue
                }
                check(t, before[t.id], against: q, sizes: file.layer.sizes, into: &report, when: "before the update")
            }
        }
        return report
    }
}
