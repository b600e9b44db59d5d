import Engine
import Trace

/// The sizes a frame needs to label matrix axes the way the seed's figures do: im2col rows by
/// `(c, fh, fw)`, columns by `(b, oh, ow)`.
struct ShownGeometry: Sendable {
    var B = 1, C = 1, M = 1, FH = 1, FW = 1, OH = 1, OW = 1, PH = 0, PW = 0
    var layout: ColumnLayout = .seed
    var isPool = false

    init(_ scenario: Scenario, _ trace: Trace) {
        layout = scenario.layout
        isPool = scenario.operation == .pool
        let x = scenario.x.shape
        if x.count == 4 { (B, C) = (x[0], x[1]) }
        if scenario.operation == .conv, let w = scenario.w, w.shape.count == 4 {
            (M, FH, FW) = (w.shape[0], w.shape[2], w.shape[3])
        } else {
            (FH, FW) = (scenario.pool.v, scenario.pool.h)
        }
        if let xp = trace.tensors.first(where: { $0.name == "x_pad" })?.shape, xp.count == 4, x.count == 4 {
            PH = (xp[2] - x[2]) / 2
            PW = (xp[3] - x[3]) / 2
            let d = scenario.operation == .conv ? scenario.dilation : Pair(1)
            let s = scenario.stride
            if s.v > 0, s.h > 0 {
                OH = max(0, (xp[2] - (d.v * (FH - 1) + 1)) / s.v + 1)
                OW = max(0, (xp[3] - (d.h * (FW - 1) + 1)) / s.h + 1)
            }
        }
    }

    private var patch: Int { C * FH * FW }
    private var place: Int { B * OH * OW }

    private func tuple(_ i: Int, _ dims: [Int]) -> String {
        Tensor.unravel(i, shape: dims).map(String.init).joined(separator: ",")
    }

    private enum Axis { case patch, place, placeChannel, window }

    private func axisKind(_ length: Int, prefer: Axis?) -> Axis? {
        if let prefer { return prefer }
        if length == place, place > 1 { return .place }
        if length == patch, patch > 1 { return .patch }
        if length == place * C, C > 1 { return .placeChannel }
        if length == FH * FW, FH * FW > 1, length != M { return .window }
        return nil
    }

    private func labeller(_ axis: Axis?) -> ((Int) -> String)? {
        switch axis {
        case .patch?: return { [C, FH, FW] in self.tuple($0, [C, FH, FW]) }
        case .place?: return { [B, OH, OW] in self.tuple($0, [B, OH, OW]) }
        case .placeChannel?: return { [B, OH, OW, C] in self.tuple($0, [B, OH, OW, C]) }
        case .window?: return { [FH, FW] in self.tuple($0, [FH, FW]) }
        case nil: return nil
        }
    }

    private func legend(_ axis: Axis?) -> String? {
        switch axis {
        case .patch?: return "(c,fh,fw)"
        case .place?: return "(b,oh,ow)"
        case .placeChannel?: return "(b,oh,ow,c)"
        case .window?: return "(fh,fw)"
        case nil: return nil
        }
    }

    /// Row and column labellers for a 2-D tensor, and a legend saying what they count.
    func axes(name: String, shape: [Int]) -> (row: ((Int) -> String)?, column: ((Int) -> String)?, legend: String) {
        guard shape.count == 2 else { return (nil, nil, "") }
        var rowAxis: Axis?, columnAxis: Axis?
        var known = true
        switch name {
        case "cols", "grad_cols":
            (rowAxis, columnAxis) = layout == .seed ? (.patch, .place) : (.place, .patch)
        case "cols_T", "grad_cols_T":
            (rowAxis, columnAxis) = layout == .seed ? (.place, .patch) : (.patch, .place)
        case "x_rows", "grad_rows":
            (rowAxis, columnAxis) = (.placeChannel, shape[1] == 1 ? nil : .window)
        case "grad" where isPool:
            // Pooling's gradient as one value per row: `grad.transpose(0, 2, 3, 1).reshape(-1, 1)`.
            (rowAxis, columnAxis) = (.placeChannel, shape[1] == 1 ? nil : .window)
        case "w_mat", "w_T", "grad_w", "adam_m", "adam_v":
            // One axis counts filters, the other a filter's cells.
            (rowAxis, columnAxis) = shape[0] == M && !isPool ? (nil, .patch) : (.patch, nil)
        case "u", "y", "dact", "dact_mat", "grad_mat":
            (rowAxis, columnAxis) = shape[0] == M && !isPool ? (nil, .place) : (.place, nil)
        default:
            known = false
        }
        if known {
            return (labeller(rowAxis), labeller(columnAxis), legendText(rowAxis, columnAxis))
        }
        rowAxis = axisKind(shape[0], prefer: rowAxis)
        columnAxis = axisKind(shape[1], prefer: columnAxis)
        return (labeller(rowAxis), labeller(columnAxis), legendText(rowAxis, columnAxis))
    }

    private func legendText(_ rowAxis: Axis?, _ columnAxis: Axis?) -> String {
        switch (legend(rowAxis), legend(columnAxis)) {
        case let (r?, c?): return r + "×" + c
        case let (r?, nil): return "rows " + r
        case let (nil, c?): return "cols " + c
        case (nil, nil): return ""
        }
    }

    /// The cell of the padded input that column `k` of pooling row `row` reads: rows are
    /// `(b, oh, ow, c)`, columns `(fh, fw)`, as `x.T.reshape(B·OH·OW·C, -1)` orders them.
    func poolInputCell(row: Int, k: Int, paddedShape: [Int], stride: Pair) -> Int? {
        guard paddedShape.count == 4 else { return nil }
        let r = Tensor.unravel(row, shape: [B, OH, OW, C])
        let f = Tensor.unravel(k, shape: [FH, FW])
        let h = r[1] * stride.v + f[0], w = r[2] * stride.h + f[1]
        guard h < paddedShape[2], w < paddedShape[3] else { return nil }
        return ((r[0] * paddedShape[1] + r[3]) * paddedShape[2] + h) * paddedShape[3] + w
    }

    /// What each axis of every tensor counts. Tensors the layer is given or fills are named by
    /// their role; a transpose permutes its source's names; a reshape is recognised by the
    /// shapes the seed's code reshapes to. Unknown axes are `i0`, `i1`, ….
    func axisNames(_ tensors: [TensorInfo]) -> [[String]] {
        let out = isPool ? "c" : "m"
        var names: [[String]] = []
        for info in tensors {
            let shape = info.shape
            var n: [String]?
            switch info.origin {
            case .transpose(let of, let axes):
                let source = names[Int(of.rawValue)]
                if source.count == axes.count { n = axes.map { source[$0] } }
            case .reshape:
                let candidates: [([Int], [String])] = [
                    ([B, isPool ? C : M, OH, OW], ["b", out, "oh", "ow"]),
                    ([M, B, OH, OW], ["m", "b", "oh", "ow"]),
                    ([B, OH, OW, isPool ? C : M], ["b", "oh", "ow", out]),
                    ([M, C, FH, FW], ["m", "c", "fh", "fw"]),
                ]
                n = candidates.first { $0.0 == shape }?.1
            case .given, .zeros:
                switch (info.name, shape.count) {
                case ("x", 4), ("x_pad", 4), ("dx", 4), ("dx_pad", 4): n = ["b", "c", "h", "w"]
                case ("w", 4), ("grad_w", 4): n = ["m", "c", "fh", "fw"]
                case (_, 4) where shape == [B, isPool ? C : M, OH, OW]: n = ["b", out, "oh", "ow"]
                default: n = nil
                }
            }
            names.append(n ?? (0..<shape.count).map { "i\($0)" })
        }
        return names
    }

    /// Whether a cell of a padded tensor lies in the padding.
    func isPadding(_ flat: Int, shape: [Int]) -> Bool {
        guard shape.count == 4, PH > 0 || PW > 0 else { return false }
        let idx = Tensor.unravel(flat, shape: shape)
        return idx[2] < PH || idx[2] >= shape[2] - PH || idx[3] < PW || idx[3] >= shape[3] - PW
    }
}
