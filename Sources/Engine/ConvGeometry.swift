/// How large a tensor the engine agrees to build.
public enum Limits {
    /// The largest number of elements any one tensor may hold (2^27 doubles, 1 GiB).
    /// Everything is checked against it before anything is allocated.
    public static let maxElements: Int = 1 << 27
}

/// The product of `factors`, or an error naming `what` when it overflows or exceeds the limit.
/// Sizes come from users, so every product goes through here rather than through `*`.
func checkedCount(_ factors: [Int], _ what: String) throws -> Int {
    var total = 1
    for f in factors {
        let (p, overflow) = total.multipliedReportingOverflow(by: f)
        if overflow || p > Limits.maxElements {
            let shown = factors.map(String.init).joined(separator: "×")
            throw EngineError("\(what) would hold \(shown) elements, more than the limit of \(Limits.maxElements)")
        }
        total = p
    }
    return total
}

/// `a + b` or `a · b` without trapping: sizes past any sensible limit become one error.
func checkedAdd(_ a: Int, _ b: Int, _ what: String) throws -> Int {
    let (r, overflow) = a.addingReportingOverflow(b)
    if overflow { throw EngineError("\(what) is too large to compute") }
    return r
}

func checkedMul(_ a: Int, _ b: Int, _ what: String) throws -> Int {
    let (r, overflow) = a.multipliedReportingOverflow(by: b)
    if overflow { throw EngineError("\(what) is too large to compute") }
    return r
}

/// A shape written the way numpy prints it: `(2, 3, 4, 4)`.
/// A shape as numpy prints it: `(2, 3)`, `(4,)`. The one shape formatter of every message and frame.
public func shapeText(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}

/// Every size of one convolution or pooling, checked once before anything is allocated.
///
/// Input `(B, C, H, W)`, filter `(M, C, FH, FW)`, stride `(SH, SW)`, pad `(PH, PW)`,
/// dilation `(DH, DW)`, output `(B, M, OH, OW)` with
/// `OH = (H + 2·PH − (DH·(FH−1)+1)) // SH + 1`.
public struct ConvGeometry: Sendable, Equatable {
    public let B, C, H, W: Int
    public let M, FH, FW: Int
    public let SH, SW, PH, PW, DH, DW: Int
    public let OH, OW: Int

    /// The padded input's height and width.
    public var HP: Int { H + 2 * PH }
    public var WP: Int { W + 2 * PW }
    /// Rows of the seed's im2col matrix: one per `(c, fh, fw)`.
    public var patchSize: Int { C * FH * FW }
    /// Columns of the seed's im2col matrix: one per filter placement `(b, oh, ow)`.
    public var placements: Int { B * OH * OW }
    public var inputShape: [Int] { [B, C, H, W] }
    public var paddedShape: [Int] { [B, C, HP, WP] }
    public var outputShape: [Int] { [B, M, OH, OW] }
    public var filterShape: [Int] { [M, C, FH, FW] }

    /// The im2col matrix's shape in `layout`.
    public func columnShape(_ layout: ColumnLayout) -> [Int] {
        layout == .seed ? [patchSize, placements] : [placements, patchSize]
    }

    /// A convolution of `input` `(B, C, H, W)` with `filter` `(M, C, FH, FW)`.
    public init(input: [Int], filter: [Int], stride: Pair = Pair(1), pad: Pair = Pair(0),
                dilation: Pair = Pair(1)) throws {
        guard input.count == 4 else {
            throw EngineError("the input must have 4 axes (B, C, H, W), but its shape is \(shapeText(input))")
        }
        guard filter.count == 4 else {
            throw EngineError("the filter must have 4 axes (M, C, FH, FW), but its shape is \(shapeText(filter))")
        }
        guard input[1] == filter[1] else {
            throw EngineError("the input \(shapeText(input)) has \(input[1]) channels but the filter \(shapeText(filter)) expects \(filter[1])")
        }
        try self.init(input: input, filters: filter[0], window: Pair(filter[2], filter[3]),
                      stride: stride, pad: pad, dilation: dilation)
    }

    /// A sliding window of `window` cells over `input`, as im2col and pooling use it;
    /// `filters` is M (pooling keeps the channels, so it passes C).
    public init(input: [Int], filters: Int, window: Pair, stride: Pair = Pair(1), pad: Pair = Pair(0),
                dilation: Pair = Pair(1)) throws {
        guard input.count == 4 else {
            throw EngineError("the input must have 4 axes (B, C, H, W), but its shape is \(shapeText(input))")
        }
        for (name, value) in [("batch size B", input[0]), ("channel count C", input[1]),
                              ("input height H", input[2]), ("input width W", input[3]),
                              ("filter count M", filters),
                              ("filter height FH", window.v), ("filter width FW", window.h)] where value <= 0 {
            throw EngineError("the \(name) is \(value), but it must be at least 1")
        }
        try checkSettings(stride: stride, pad: .pair(pad), dilation: dilation)
        let paddedH = try checkedAdd(input[2], checkedMul(2, pad.v, "the pad"), "the padded height")
        let paddedW = try checkedAdd(input[3], checkedMul(2, pad.h, "the pad"), "the padded width")
        let spanH = try checkedAdd(checkedMul(dilation.v, window.v - 1, "the dilated filter"), 1, "the dilated filter")
        let spanW = try checkedAdd(checkedMul(dilation.h, window.h - 1, "the dilated filter"), 1, "the dilated filter")
        guard spanH <= paddedH, spanW <= paddedW else {
            let dilated = dilation == Pair(1) ? "" : " (with dilation \(dilation))"
            throw EngineError("the filter spans \(spanH)×\(spanW) cells\(dilated), larger than the padded input of \(paddedH)×\(paddedW)")
        }
        let oh = (paddedH - spanH) / stride.v + 1
        let ow = (paddedW - spanW) / stride.h + 1
        let (b, c) = (input[0], input[1])
        _ = try checkedCount([b, c, input[2], input[3]], "the input")
        _ = try checkedCount([b, c, paddedH, paddedW], "the padded input")
        _ = try checkedCount([filters, c, window.v, window.h], "the filter")
        _ = try checkedCount([b, filters, oh, ow], "the output")
        _ = try checkedCount([c, window.v, window.h, b, oh, ow], "the im2col matrix")
        // The matrix product's intermediate (M, B·OH·OW) is covered by the output check.
        (B, C, H, W) = (b, c, input[2], input[3])
        (M, FH, FW) = (filters, window.v, window.h)
        (SH, SW, PH, PW, DH, DW) = (stride.v, stride.h, pad.v, pad.h, dilation.v, dilation.h)
        (OH, OW) = (oh, ow)
    }
}

/// Refuses a stride or dilation below 1 and a negative pad, in the words every layer uses:
/// the layers check at construction, the geometry again for each input.
func checkSettings(stride: Pair = Pair(1), pad: Padding = .pair(Pair(0)), dilation: Pair = Pair(1)) throws {
    guard stride.v > 0, stride.h > 0 else {
        throw EngineError("the stride is \(stride), but a stride must be at least 1")
    }
    guard dilation.v > 0, dilation.h > 0 else {
        throw EngineError("the dilation is \(dilation), but a dilation must be at least 1")
    }
    if case .pair(let p) = pad, p.v < 0 || p.h < 0 {
        throw EngineError("the pad is \(p), but a pad cannot be negative")
    }
}

/// The padding `pad` stands for: itself, or the seed's `same`,
/// `pad = ((I − 1)·S − I + F) / 2` per axis with the dilated filter span as F,
/// refused when that is not a whole number.
public func resolvePadding(_ pad: Padding, input: Pair, filter: Pair, stride: Pair, dilation: Pair) throws -> Pair {
    switch pad {
    case .pair(let p):
        try checkSettings(pad: pad)
        return p
    case .same:
        func axis(_ i: Int, _ f: Int, _ s: Int, _ d: Int, _ unit: String) throws -> Int {
            guard i > 0, f > 0, s > 0, d > 0 else {
                throw EngineError("pad \"same\" needs positive sizes, strides and dilations, but got input \(i), filter \(f), stride \(s), dilation \(d)")
            }
            let span = try checkedAdd(checkedMul(d, f - 1, "the dilated filter"), 1, "the dilated filter")
            let twice = try checkedAdd(checkedMul(i - 1, s, "pad \"same\""), span - i, "pad \"same\"")
            guard twice % 2 == 0 else {
                throw EngineError("pad \"same\" needs (\(i - 1)·\(s) − \(i) + \(span))/2 = \(twice / 2).5 \(unit), which is not a whole number; give the pad as a whole number instead, such as \(twice / 2) or \(twice / 2 + 1)")
            }
            return twice / 2
        }
        return Pair(try axis(input.v, filter.v, stride.v, dilation.v, "rows"),
                    try axis(input.h, filter.h, stride.h, dilation.h, "columns"))
    }
}
