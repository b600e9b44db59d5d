import Foundation

/// A reader of the trace's JSON lines, written from docs/trace.md alone, with Foundation's
/// general JSON parser: the header, the events, and every tensor's values rebuilt by the
/// page's rules.
enum FormatTwo {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    enum Optimizer: Equatable {
        case sgd(lr: Double)
        case adam(lr: Double, beta1: Double, beta2: Double, eps: Double)
    }

    /// The header's `layer`.
    struct Layer {
        var operation: String
        var form: String?
        var layout: String
        var stride: [Int]
        var pad: [Int]
        var dilation: [Int]
        var filter: [Int]?
        var pool: [Int]?
        var poolMode: String?
        var routing: String?
        var activation: String?
        var optimizer: Optimizer?
        var sizes: [String: Int]
    }

    /// One row of the header's `tensors`.
    struct TensorEntry {
        var id: Int
        var name: String
        var shape: [Int]
        var axes: [String]
        var pass: String
        var role: String
        var pad: [[Int]]?
        var origin: String
        var initial: [Double]?
        var of: Int?
        var perm: [Int]?
        var labels: [String]?
        var count: Int { shape.reduce(1, *) }
    }

    /// One row of the header's `phases`.
    struct Phase {
        var kind: String
        var pass: String
        var occurrence: Int
        var text: String
        var provenance: String
    }

    struct Event {
        var k: String
        var phase: Int?
        var src: Int?
        var si: Int?
        var dst: Int?
        var di: Int?
        var v: Double?
    }

    struct File {
        var tatami: String
        var lesson: String
        var layer: Layer
        var tensors: [TensorEntry]
        var phases: [Phase]
        var steps: Int
        var eventCount: Int
        var events: [Event]
    }

    static let eventKinds: Set<String> = ["phase", "step", "write", "accumulate", "term", "argmax", "derive", "read", "link"]

    // MARK: Reading

    /// Reads a whole trace: the header line, then one event per line.
    static func read(_ text: String) throws -> File {
        // Split as bytes: splitting a large String by Character costs seconds.
        var lines = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw ReadError("the trace is empty") }
        let header = try object(Data(first), what: "the header")
        return try read(header: header, eventLines: lines.dropFirst())
    }

    static func object(_ line: Substring, what: String) throws -> [String: Any] {
        try object(Data(line.utf8), what: what)
    }

    /// One line, which must hold one JSON object.
    static func object(_ line: Data, what: @autoclosure () -> String) throws -> [String: Any] {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: line) } catch {
            throw ReadError("\(what()) is not JSON: \(error)")
        }
        guard let dict = parsed as? [String: Any] else { throw ReadError("\(what()) is not a JSON object") }
        return dict
    }

    static func read<Lines: Sequence>(header h: [String: Any], eventLines: Lines) throws -> File
        where Lines.Element == ArraySlice<UInt8> {
        guard h["format"] as? String == "tatami-trace" else {
            throw ReadError("not a tatami trace: format is \(String(describing: h["format"]))")
        }
        guard let version = h["format_version"] as? Int else { throw ReadError("no format_version") }
        guard version == 2 else { throw ReadError("format_version \(version) is not one this reader knows (2)") }
        let layer = try readLayer(try field(h, "layer", as: [String: Any].self, in: "the header"))
        let tensorRows = try field(h, "tensors", as: [[String: Any]].self, in: "the header")
        let tensors = try tensorRows.enumerated().map { try readTensor($1, row: $0) }
        let phases = try field(h, "phases", as: [[String: Any]].self, in: "the header").enumerated().map { i, p in
            let code = try field(p, "code", as: [String: Any].self, in: "phase \(i)")
            return Phase(kind: try field(p, "kind", as: String.self, in: "phase \(i)"),
                         pass: try field(p, "pass", as: String.self, in: "phase \(i)"),
                         occurrence: try field(p, "occurrence", as: Int.self, in: "phase \(i)"),
                         text: try field(code, "text", as: String.self, in: "phase \(i)'s code"),
                         provenance: try field(code, "provenance", as: String.self, in: "phase \(i)'s code"))
        }
        var events: [Event] = []
        for (n, line) in eventLines.enumerated() {
            let e = try object(Data(line), what: "event \(n)")
            guard let k = e["k"] as? String, eventKinds.contains(k) else {
                throw ReadError("event \(n) has no known kind: \(String(describing: e["k"]))")
            }
            let event = Event(k: k, phase: e["phase"] as? Int, src: e["src"] as? Int, si: e["si"] as? Int,
                              dst: e["dst"] as? Int, di: e["di"] as? Int,
                              v: try e["v"].map { try number($0, "event \(n)'s v") })
            try validate(event, n, tensors: tensors, phases: phases.count)
            events.append(event)
        }
        return File(tatami: try field(h, "tatami", as: String.self, in: "the header"),
                    lesson: try field(h, "lesson", as: String.self, in: "the header"),
                    layer: layer, tensors: tensors, phases: phases,
                    steps: try field(h, "steps", as: Int.self, in: "the header"),
                    eventCount: try field(h, "events", as: Int.self, in: "the header"),
                    events: events)
    }

    static func field<T>(_ d: [String: Any], _ key: String, as: T.Type, in what: String) throws -> T {
        guard let value = d[key] else { throw ReadError("\(what) has no \(key)") }
        guard let typed = value as? T else { throw ReadError("\(what)'s \(key) is not a \(T.self): \(value)") }
        return typed
    }

    /// A number, or one of the strings the page writes for non-finite values.
    static func number(_ value: Any, _ what: @autoclosure () -> String) throws -> Double {
        if let s = value as? String {
            switch s {
            case "nan": return .nan
            case "inf": return .infinity
            case "-inf": return -.infinity
            default: throw ReadError("\(what()) is the string \"\(s)\", not a number")
            }
        }
        // Foundation hands long numbers over as NSDecimalNumber, whose doubleValue can lose
        // the last bits; its digits, read as a Double, are exact.
        if let d = value as? NSDecimalNumber {
            guard let exact = Double(d.stringValue) else { throw ReadError("\(what()) is not a number: \(d)") }
            return exact
        }
        guard let n = value as? NSNumber else { throw ReadError("\(what()) is not a number: \(value)") }
        return n.doubleValue
    }

    static func pair(_ d: [String: Any], _ key: String) throws -> [Int] {
        let p = try field(d, key, as: [Int].self, in: "the layer")
        guard p.count == 2 else { throw ReadError("the layer's \(key) is not a pair: \(p)") }
        return p
    }

    static func readLayer(_ l: [String: Any]) throws -> Layer {
        let operation = try field(l, "operation", as: String.self, in: "the layer")
        guard operation == "conv" || operation == "pool" else { throw ReadError("unknown operation \(operation)") }
        var optimizer: Optimizer?
        if let o = l["optimizer"] as? [String: Any] {
            let lr = try number(o["lr"] as Any, "the optimizer's lr")
            switch o["name"] as? String {
            case "sgd": optimizer = .sgd(lr: lr)
            case "adam":
                optimizer = .adam(lr: lr, beta1: try number(o["beta1"] as Any, "beta1"),
                                  beta2: try number(o["beta2"] as Any, "beta2"), eps: try number(o["eps"] as Any, "eps"))
            default: throw ReadError("unknown optimizer \(o)")
            }
        }
        return Layer(operation: operation, form: l["form"] as? String,
                     layout: try field(l, "layout", as: String.self, in: "the layer"),
                     stride: try pair(l, "stride"), pad: try pair(l, "pad"), dilation: try pair(l, "dilation"),
                     filter: l["filter"] as? [Int], pool: l["pool"] as? [Int], poolMode: l["pool_mode"] as? String,
                     routing: l["routing"] as? String, activation: l["activation"] as? String,
                     optimizer: optimizer, sizes: try field(l, "sizes", as: [String: Int].self, in: "the layer"))
    }

    static func readTensor(_ t: [String: Any], row: Int) throws -> TensorEntry {
        let what = "tensor row \(row)"
        let shape = try field(t, "shape", as: [Int].self, in: what)
        let count = shape.reduce(1, *)
        var entry = TensorEntry(id: try field(t, "id", as: Int.self, in: what),
                                name: try field(t, "name", as: String.self, in: what), shape: shape,
                                axes: try field(t, "axes", as: [String].self, in: what),
                                pass: try field(t, "pass", as: String.self, in: what),
                                role: try field(t, "role", as: String.self, in: what),
                                pad: t["pad"] as? [[Int]], origin: try field(t, "origin", as: String.self, in: what),
                                initial: nil, of: t["of"] as? Int, perm: t["perm"] as? [Int],
                                labels: t["labels"] as? [String])
        guard entry.id == row else { throw ReadError("\(what) has id \(entry.id): the table is in id order") }
        guard ["forward", "backward", "update"].contains(entry.pass) else { throw ReadError("\(what): pass \(entry.pass)") }
        guard ["input", "weights", "bias", "gradient", "intermediate", "output", "optimizer-state"].contains(entry.role) else {
            throw ReadError("\(what): role \(entry.role)")
        }
        switch entry.origin {
        case "given":
            let values = try field(t, "initial", as: [Any].self, in: what)
            entry.initial = try values.map { try number($0, "\(what)'s initial") }
            guard entry.initial!.count == count else {
                throw ReadError("\(what) (\(entry.name)) has \(values.count) initial values for shape \(shape)")
            }
        case "zeros":
            break
        case "reshape", "transpose":
            guard let of = entry.of, of >= 0, of < row else {
                throw ReadError("\(what) (\(entry.name)) is a \(entry.origin) of no earlier tensor")
            }
            if entry.origin == "transpose" {
                guard let perm = entry.perm, perm.sorted() == Array(0..<shape.count) else {
                    throw ReadError("\(what) (\(entry.name)) is a transpose without a permutation of its axes")
                }
            }
        default:
            throw ReadError("\(what) (\(entry.name)) has the unknown origin \(entry.origin)")
        }
        if let labels = entry.labels, labels.count != count {
            throw ReadError("\(what) (\(entry.name)) has \(labels.count) labels for \(count) cells")
        }
        return entry
    }

    static func validate(_ e: Event, _ n: Int, tensors: [TensorEntry], phases: Int) throws {
        func cell(_ id: Int?, _ index: Int?, _ role: String) throws {
            guard let id else { return }
            guard id >= 0, id < tensors.count else { throw ReadError("event \(n) (\(e.k)) names tensor \(id)") }
            if let index, index < 0 || index >= tensors[id].count {
                throw ReadError("event \(n) (\(e.k)): \(role) index \(index) outside \(tensors[id].name) \(tensors[id].shape)")
            }
        }
        try cell(e.src, e.si, "src")
        try cell(e.dst, e.di, "dst")
        switch e.k {
        case "phase":
            guard let p = e.phase, p >= 0, p < phases else { throw ReadError("event \(n) names no row of the phase table") }
        case "write", "accumulate":
            guard e.dst != nil, e.di != nil, e.v != nil else { throw ReadError("event \(n) (\(e.k)) lacks dst, di or v") }
        case "derive":
            guard let src = e.src, let dst = e.dst else { throw ReadError("event \(n) (derive) lacks src or dst") }
            guard tensors[dst].of == src, tensors[dst].origin == "reshape" || tensors[dst].origin == "transpose" else {
                throw ReadError("event \(n) derives \(tensors[dst].name) (\(dst)) from \(src), not as its table entry says")
            }
        default:
            break
        }
    }

    // MARK: Rebuilding

    /// Every tensor's values after the first `end` events (all of them when nil): `given`
    /// tensors from `initial`, the others from zeros, then `write`, `accumulate` and `derive`.
    static func rebuild(_ file: File, events end: Int? = nil) throws -> [[Double]] {
        var values = file.tensors.map { $0.initial ?? [Double](repeating: 0, count: $0.count) }
        for e in file.events[0..<(end ?? file.events.count)] {
            switch e.k {
            case "write": values[e.dst!][e.di!] = e.v!
            case "accumulate": values[e.dst!][e.di!] += e.v!
            case "derive":
                let (src, dst) = (e.src!, e.dst!)
                let target = file.tensors[dst]
                guard file.tensors[src].count == target.count else {
                    throw ReadError("\(target.name) (\(dst)) has \(target.count) cells, its source \(file.tensors[src].count)")
                }
                if target.origin == "transpose" {
                    values[dst] = try transpose(values[src], shape: file.tensors[src].shape, perm: target.perm!,
                                                expecting: target.shape)
                } else {
                    values[dst] = values[src]
                }
            default: break
            }
        }
        return values
    }

    /// numpy's `a.transpose(perm)` of row-major `values`, written out.
    static func transpose(_ values: [Double], shape: [Int], perm: [Int], expecting: [Int]) throws -> [Double] {
        let newShape = perm.map { shape[$0] }
        guard newShape == expecting else {
            throw ReadError("transposing \(shape) by \(perm) gives \(newShape), but the table says \(expecting)")
        }
        let strides = rowMajorStrides(shape)
        var out = [Double](repeating: 0, count: values.count)
        for flat in 0..<values.count {
            let index = unravel(flat, newShape)
            var from = 0
            for (axis, i) in index.enumerated() { from += i * strides[perm[axis]] }
            out[flat] = values[from]
        }
        return out
    }

    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = s
            s *= shape[axis]
        }
        return strides
    }

    static func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
        var index = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
