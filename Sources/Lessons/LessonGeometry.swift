import Engine

/// The output size of a window sliding over the input, computed before anything runs so that
/// a lesson whose shapes do not fit gets a sentence instead of an engine error.
enum LessonGeometry {
    /// `pad: same` as the seed computes it: `((I − 1)·S − I + F) / 2` per direction, which must
    /// be whole. `window` is the span the filter covers (dilation included).
    static func samePad(input: Int, window: Int, stride: Int) -> (numerator: Int, pad: Int?) {
        let numerator = (input - 1) * stride - input + window
        return (numerator, numerator % 2 == 0 ? numerator / 2 : nil)
    }

    /// `(OH, OW)` for an input `(B, C, H, W)`; nil, with the reason reported at `at`, when the
    /// window does not fit or `same` is not whole.
    static func output(input: [Int], window: Pair, stride: Pair, pad: Padding, at: Located,
                       _ d: inout Diagnostics) -> Pair? {
        let h = input[2], w = input[3]
        var p = Pair(0)
        switch pad {
        case .pair(let given): p = given
        case .same:
            let v = samePad(input: h, window: window.v, stride: stride.v)
            let u = samePad(input: w, window: window.h, stride: stride.h)
            for (name, side, win, s, r) in [("rows", h, window.v, stride.v, v), ("columns", w, window.h, stride.h, u)] where r.pad == nil {
                d.add(at.line, at.column, "`pad: same` needs ((\(side) − 1)·\(s) − \(side) + \(win))/2 = \(r.numerator)/2 \(name) of padding, which is not a whole number; give the pad as a whole number instead, such as `pad: \(r.numerator / 2)` or `pad: \((r.numerator + 1) / 2)`")
                return nil
            }
            p = Pair(v.pad!, u.pad!)
            if p.v > LessonLimits.maxPad || p.h > LessonLimits.maxPad {
                d.add(at.line, at.column, "`pad: same` gives a pad of \(p) here, over the lesson limit of \(LessonLimits.maxPad); use a smaller stride or give the pad as numbers")
                return nil
            }
        }
        let paddedH = h + 2 * p.v, paddedW = w + 2 * p.h
        guard window.v <= paddedH, window.h <= paddedW else {
            d.add(at.line, at.column, "the window spans \(window.v)×\(window.h) cells but the padded input is only \(paddedH)×\(paddedW) (input \(shapeText(input)), pad \(p)); use a smaller filter or pool, or more padding")
            return nil
        }
        return Pair((paddedH - window.v) / stride.v + 1, (paddedW - window.h) / stride.h + 1)
    }
}
