import Engine
import Trace

/// How numbers look in a cell: integers as integers, others with at most three decimals,
/// very large or very small ones in exponent form. Stdlib only, so output is the same in
/// every locale.
public enum NumberFormat {
    public static func cell(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v == 0 { return "0" }
        let a = abs(v)
        if a >= 1e6 || a < 1e-3 { return exponent(v) }
        if v == v.rounded() { return String(Int(v)) }
        var s = fixed(v, decimals: a >= 100 ? 1 : 3)
        while s.last == "0" { s.removeLast() }
        if s.last == "." { s.removeLast() }
        return s
    }

    static func fixed(_ v: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (abs(v) * scale).rounded()
        let whole = Int(r / scale)
        let frac = Int(r - Double(whole) * scale)
        var f = String(frac)
        while f.count < decimals { f = "0" + f }
        return (v < 0 ? "-" : "") + String(whole) + "." + f
    }

    static func exponent(_ v: Double) -> String {
        var e = 0
        var m = abs(v)
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        var ms = fixed(m, decimals: 1)
        if ms.hasPrefix("10.") { ms = "1.0"; e += 1 }
        return (v < 0 ? "-" : "") + ms + "e" + String(e)
    }

    /// Letters for computed cells, as the seed names its outputs: a … z, then aa, ab, ….
    public static func letters(_ n: Int) -> String {
        var n = n
        var s = ""
        repeat {
            s = String(UnicodeScalar(UInt8(97 + n % 26))) + s
            n = n / 26 - 1
        } while n >= 0
        return s
    }
}

/// The symbolic name of every cell of every tensor, for the symbols view: given labels where
/// the lesson names cells, the source's label for copied cells, letters for computed ones.
struct SymbolTable: Sendable {
    private(set) var labels: [[String]]

    init(trace: Trace) {
        labels = trace.tensors.map { info in
            if let l = info.labels, l.count == info.shape.reduce(1, *) { return l }
            if info.origin == .given { return info.initial.map(NumberFormat.cell) }
            return [String](repeating: "0", count: info.shape.reduce(1, *))
        }
        var stepHasTerms = false
        var i = 0
        let events = trace.events
        while i < events.count {
            let e = events[i]
            switch e.kind {
            case .step:
                stepHasTerms = false
                var j = i + 1
                while j < events.count, events[j].kind != .step, events[j].kind != .phase {
                    if events[j].kind == .term { stepHasTerms = true }
                    j += 1
                }
            case .write, .accumulate:
                let d = Int(e.dst.rawValue), di = Int(e.dstIndex)
                if stepHasTerms || e.src == .none {
                    // A computed cell is named by its place, as the seed names a … i.
                    if e.kind == .write || labels[d][di] == "0" {
                        labels[d][di] = NumberFormat.letters(di)
                    }
                } else if e.kind == .write {
                    labels[d][di] = labels[Int(e.src.rawValue)][Int(e.srcIndex)]
                }
            case .derive:
                let d = Int(e.dst.rawValue), s = Int(e.src.rawValue)
                switch trace.tensors[d].origin {
                case .transpose(_, let axes):
                    labels[d] = Self.permute(labels[s], shape: trace.tensors[s].shape, axes: axes)
                default:
                    labels[d] = labels[s]
                }
            default:
                break
            }
            i += 1
        }
    }

    subscript(tensor: TensorID, index: Int) -> String {
        let t = Int(tensor.rawValue)
        guard t < labels.count, index >= 0, index < labels[t].count else { return "?" }
        return labels[t][index]
    }

    static func permute(_ data: [String], shape: [Int], axes: [Int]) -> [String] {
        (0..<data.count).map { data[Tensor.sourceIndex(ofTransposed: $0, shape: shape, axes: axes)] }
    }
}
