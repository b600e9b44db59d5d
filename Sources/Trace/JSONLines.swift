import Engine

/// The trace as JSON lines, for front ends other than this one (a web page, a notebook).
///
/// Line 1 is a header object; every further line is one event. The schema is versioned by
/// `format_version` and documented in `docs/trace.md`. Written by hand rather than through
/// `JSONEncoder`: a trace has millions of events and every line has the same few fields.
extension Trace {
    public static let formatVersion = 2

    /// The header line: versions, the lesson, the layer, the tensor and phase tables.
    public func jsonHeader(tatamiVersion: String, lesson: String) -> String {
        var s = "{\"format\":\"tatami-trace\",\"format_version\":\(Self.formatVersion)"
        s += ",\"tatami\":" + json(tatamiVersion) + ",\"lesson\":" + json(lesson)
        s += ",\"layer\":" + Self.jsonLayer(layer)
        s += ",\"tensors\":["
        for (i, t) in tensors.enumerated() {
            if i > 0 { s += "," }
            s += "{\"id\":\(i),\"name\":" + json(t.name) + ",\"shape\":" + json(t.shape)
            s += ",\"axes\":" + json(t.axes) + ",\"pass\":" + json(t.pass.rawValue) + ",\"role\":" + json(t.role.rawValue)
            if let pad = t.pad { s += ",\"pad\":[" + pad.map(json).joined(separator: ",") + "]" }
            switch t.origin {
            case .given: s += ",\"origin\":\"given\",\"initial\":" + json(t.initial)
            case .zeros: s += ",\"origin\":\"zeros\""
            case .reshape(let of): s += ",\"origin\":\"reshape\",\"of\":\(of.rawValue)"
            case .transpose(let of, let axes): s += ",\"origin\":\"transpose\",\"of\":\(of.rawValue),\"perm\":" + json(axes)
            }
            if let labels = t.labels { s += ",\"labels\":" + json(labels) }
            s += "}"
        }
        s += "],\"phases\":["
        s += phases.map { p in
            "{\"kind\":" + json(p.kind.rawValue) + ",\"pass\":" + json(p.pass.rawValue)
                + ",\"occurrence\":\(p.occurrence),\"code\":" + Self.jsonCode(p.code) + "}"
        }.joined(separator: ",")
        s += "],\"steps\":\(stepCount),\"events\":\(events.count)}"
        return s
    }

    static func jsonCode(_ code: CodeLine) -> String {
        var s = "{\"text\":" + JSON.string(code.text) + ",\"provenance\":" + JSON.string(code.provenance.name)
        switch code.provenance {
        case .article: break
        case .adapted(let article, let change): s += ",\"article\":" + JSON.string(article) + ",\"change\":" + JSON.string(change)
        case .added(let why): s += ",\"why\":" + JSON.string(why)
        }
        if let r = code.reasonJa { s += ",\"reason_ja\":" + JSON.string(r) }
        if let n = code.note { s += ",\"note\":" + JSON.string(n) }
        if let n = code.noteJa { s += ",\"note_ja\":" + JSON.string(n) }
        return s + "}"
    }

    static func jsonPair(_ p: Pair) -> String { "[\(p.v),\(p.h)]" }

    static func jsonLayer(_ l: LayerInfo) -> String {
        var s = "{\"operation\":" + JSON.string(l.operation.rawValue)
        if let form = l.form { s += ",\"form\":" + JSON.string(form.rawValue) }
        s += ",\"layout\":" + JSON.string(l.layout.rawValue)
        s += ",\"stride\":" + jsonPair(l.stride) + ",\"pad\":" + jsonPair(l.pad) + ",\"dilation\":" + jsonPair(l.dilation)
        if let f = l.filter { s += ",\"filter\":[" + f.map(String.init).joined(separator: ",") + "]" }
        if let p = l.pool { s += ",\"pool\":" + jsonPair(p) }
        if let m = l.poolMode { s += ",\"pool_mode\":" + JSON.string(m.rawValue) }
        if let r = l.routing { s += ",\"routing\":" + JSON.string(r.rawValue) }
        if let a = l.activation { s += ",\"activation\":" + JSON.string(a.rawValue) }
        switch l.optimizer {
        case .sgd(let lr)?: s += ",\"optimizer\":{\"name\":\"sgd\",\"lr\":" + number(lr) + "}"
        case .adam(let lr, let b1, let b2, let eps)?:
            s += ",\"optimizer\":{\"name\":\"adam\",\"lr\":" + number(lr) + ",\"beta1\":" + number(b1)
                + ",\"beta2\":" + number(b2) + ",\"eps\":" + number(eps) + "}"
        case nil: break
        }
        s += ",\"sizes\":{" + l.sizes.keys.sorted().map { JSON.string($0) + ":\(l.sizes[$0]!)" }.joined(separator: ",") + "}"
        return s + "}"
    }

    /// One event as a JSON object: `k` kind, `src`/`si` and `dst`/`di` tensor ids and flat
    /// indices (omitted when unused), `v` the value (omitted when unused).
    public static func jsonLine(_ e: Event) -> String {
        var s = "{\"k\":\"" + name(e.kind) + "\""
        if e.kind == .phase { return s + ",\"phase\":\(e.srcIndex)}" }
        if e.src != .none { s += ",\"src\":\(e.src.rawValue)" }
        if e.srcIndex >= 0 { s += ",\"si\":\(e.srcIndex)" }
        if e.dst != .none { s += ",\"dst\":\(e.dst.rawValue)" }
        if e.dstIndex >= 0 { s += ",\"di\":\(e.dstIndex)" }
        switch e.kind {
        case .write, .accumulate, .term, .argmax: s += ",\"v\":" + number(e.value)
        default: break
        }
        return s + "}"
    }

    static func name(_ k: EventKind) -> String {
        switch k {
        case .phase: return "phase"
        case .step: return "step"
        case .write: return "write"
        case .accumulate: return "accumulate"
        case .term: return "term"
        case .argmax: return "argmax"
        case .derive: return "derive"
        case .read: return "read"
        case .link: return "link"
        }
    }
}

/// A number; NaN and the infinities, which JSON has no numbers for, as the strings
/// `"nan"`, `"inf"` and `"-inf"`.
private func number(_ v: Double) -> String {
    if v.isNaN { return "\"nan\"" }
    if v.isInfinite { return v < 0 ? "\"-inf\"" : "\"inf\"" }
    // A ReLU's zero slope times a negative gradient is -0.0; its sign survives a round trip.
    if v == 0 { return v.sign == .minus ? "-0.0" : "0" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
    return "\(v)"
}

private func json(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: ",") + "]" }
private func json(_ values: [Int]) -> String { "[" + values.map(String.init).joined(separator: ",") + "]" }
private func json(_ values: [String]) -> String { "[" + values.map(JSON.string).joined(separator: ",") + "]" }

private func json(_ s: String) -> String { JSON.string(s) }

/// JSON text for the few value kinds tatami writes by hand (traces, recordings).
public enum JSON {
    /// `s` as a JSON string literal: quotes, backslashes and every control character escaped;
    /// other characters as raw UTF-8.
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

extension JSON {
    /// A number as the trace writes it (NaN and the infinities as strings, `-0.0` kept).
    public static func number(_ v: Double) -> String { numberText(v) }
}

private func numberText(_ v: Double) -> String { number(v) }
