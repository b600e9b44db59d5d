import Engine

/// The trace as JSON lines, for front ends other than this one (a web page, a notebook).
///
/// Line 1 is a header object; every further line is one event. The schema is versioned by
/// `format_version` and documented in `docs/trace.md`. Written by hand rather than through
/// `JSONEncoder`: a trace has millions of events and every line has the same few fields.
extension Trace {
    public static let formatVersion = 1

    /// The header line: versions, the lesson, the tensor and phase tables.
    public func jsonHeader(tatamiVersion: String, lesson: String) -> String {
        var s = "{\"format\":\"tatami-trace\",\"format_version\":\(Self.formatVersion)"
        s += ",\"tatami\":" + json(tatamiVersion) + ",\"lesson\":" + json(lesson)
        s += ",\"tensors\":["
        for (i, t) in tensors.enumerated() {
            if i > 0 { s += "," }
            s += "{\"id\":\(i),\"name\":" + json(t.name) + ",\"shape\":" + json(t.shape)
            switch t.origin {
            case .given: s += ",\"origin\":\"given\",\"initial\":" + json(t.initial)
            case .zeros: s += ",\"origin\":\"zeros\""
            case .reshape(let of): s += ",\"origin\":\"reshape\",\"of\":\(of.rawValue)"
            case .transpose(let of, let axes): s += ",\"origin\":\"transpose\",\"of\":\(of.rawValue),\"axes\":" + json(axes)
            }
            if let labels = t.labels { s += ",\"labels\":[" + labels.map(json).joined(separator: ",") + "]" }
            s += "}"
        }
        s += "],\"phases\":["
        s += phases.map { "{\"kind\":" + json($0.kind.rawValue) + ",\"code\":" + json($0.code) + "}" }.joined(separator: ",")
        s += "],\"steps\":\(stepCount),\"events\":\(events.count)}"
        return s
    }

    /// One event as a JSON object: `k` kind, `src`/`si` and `dst`/`di` tensor ids and flat
    /// indices (omitted when unused), `v` the value (omitted when unused; null if not finite).
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
        }
    }
}

private func number(_ v: Double) -> String {
    guard v.isFinite else { return "null" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
    return "\(v)"
}

private func json(_ values: [Double]) -> String { "[" + values.map(number).joined(separator: ",") + "]" }
private func json(_ values: [Int]) -> String { "[" + values.map(String.init).joined(separator: ",") + "]" }

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
