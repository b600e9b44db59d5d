import XCTest
@testable import Engine

/// A small seeded generator, so every run sees the same "random" cases.
typealias Seeded = SplitMix64

extension SplitMix64 {
    init(_ seed: UInt64) { self.init(seed: seed) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func tensor(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in Double.random(in: -1...1, using: &self) })
    }
}

/// One random convolution setting, with sizes that always fit.
struct Config: CustomStringConvertible {
    var B, C, H, W, M, FH, FW: Int
    var stride, pad, dilation: Pair
    var description: String {
        "x (\(B),\(C),\(H),\(W)) w (\(M),\(C),\(FH),\(FW)) stride \(stride) pad \(pad) dilation \(dilation)"
    }

    static func random(_ r: inout Seeded) -> Config {
        let (fh, fw) = (r.int(1...3), r.int(1...3))
        let dilation = Pair(r.int(1...2), r.int(1...2))
        let pad = Pair(r.int(0...2), r.int(0...2))
        let spanH = dilation.v * (fh - 1) + 1, spanW = dilation.h * (fw - 1) + 1
        let h = r.int(max(1, spanH - 2 * pad.v)...(spanH + 5))
        let w = r.int(max(1, spanW - 2 * pad.h)...(spanW + 5))
        return Config(B: r.int(2...3), C: r.int(1...3), H: h, W: w, M: r.int(1...3), FH: fh, FW: fw,
                      stride: Pair(r.int(1...3), r.int(1...3)), pad: pad, dilation: dilation)
    }

    var OH: Int { (H + 2 * pad.v - dilation.v * (FH - 1) - 1) / stride.v + 1 }
    var OW: Int { (W + 2 * pad.h - dilation.h * (FW - 1) - 1) / stride.h + 1 }
}

/// The input cell under filter cell (fh, fw) placed at output (oh, ow), or nil in the padding.
func inputCell(_ c: Config, _ oh: Int, _ ow: Int, _ fh: Int, _ fw: Int) -> (Int, Int)? {
    let i = oh * c.stride.v + fh * c.dilation.v - c.pad.v
    let j = ow * c.stride.h + fw * c.dilation.h - c.pad.h
    return (0..<c.H).contains(i) && (0..<c.W).contains(j) ? (i, j) : nil
}

/// Convolution by its definition: every output cell a sum over its window, plus the bias.
func referenceConv(_ c: Config, x: Tensor, w: Tensor, b: Tensor) -> Tensor {
    var u = Tensor(zeros: [c.B, c.M, c.OH, c.OW])
    for bi in 0..<c.B { for m in 0..<c.M { for oh in 0..<c.OH { for ow in 0..<c.OW {
        var s = b[m]
        for ch in 0..<c.C { for fh in 0..<c.FH { for fw in 0..<c.FW {
            if let (i, j) = inputCell(c, oh, ow, fh, fw) { s += x[bi, ch, i, j] * w[m, ch, fh, fw] }
        } } }
        u[bi, m, oh, ow] = s
    } } } }
    return u
}

/// The gradients of `referenceConv` for an upstream gradient `gu` on u, term by term.
func referenceConvBackward(_ c: Config, x: Tensor, w: Tensor, gu: Tensor) -> (dx: Tensor, dw: Tensor, db: Tensor) {
    var dx = Tensor(zeros: x.shape), dw = Tensor(zeros: w.shape), db = Tensor(zeros: [c.M])
    for bi in 0..<c.B { for m in 0..<c.M { for oh in 0..<c.OH { for ow in 0..<c.OW {
        let g = gu[bi, m, oh, ow]
        db[m] += g
        for ch in 0..<c.C { for fh in 0..<c.FH { for fw in 0..<c.FW {
            if let (i, j) = inputCell(c, oh, ow, fh, fw) {
                dx[bi, ch, i, j] += g * w[m, ch, fh, fw]
                dw[m, ch, fh, fw] += g * x[bi, ch, i, j]
            }
        } } }
    } } } }
    return (dx, dw, db)
}

/// im2col by its definition, in the seed's layout, reading zeros outside the input.
func referenceIm2col(_ c: Config, _ x: Tensor) -> Tensor {
    let cols = c.B * c.OH * c.OW
    var out = Tensor(zeros: [c.C * c.FH * c.FW, cols])
    for ch in 0..<c.C { for fh in 0..<c.FH { for fw in 0..<c.FW {
        let row = (ch * c.FH + fh) * c.FW + fw
        for bi in 0..<c.B { for oh in 0..<c.OH { for ow in 0..<c.OW {
            let col = (bi * c.OH + oh) * c.OW + ow
            if let (i, j) = inputCell(c, oh, ow, fh, fw) { out[row, col] = x[bi, ch, i, j] }
        } } }
    } } }
    return out
}

/// col2im by its definition: each entry added to the input cell it was read from.
func referenceCol2im(_ c: Config, _ cols: Tensor) -> Tensor {
    var x = Tensor(zeros: [c.B, c.C, c.H, c.W])
    for ch in 0..<c.C { for fh in 0..<c.FH { for fw in 0..<c.FW {
        let row = (ch * c.FH + fh) * c.FW + fw
        for bi in 0..<c.B { for oh in 0..<c.OH { for ow in 0..<c.OW {
            let col = (bi * c.OH + oh) * c.OW + ow
            if let (i, j) = inputCell(c, oh, ow, fh, fw) { x[bi, ch, i, j] += cols[row, col] }
        } } }
    } } }
    return x
}

func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Double = 1e-9, _ message: @autoclosure () -> String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, "shapes differ: \(message())", file: file, line: line)
    guard a.shape == b.shape else { return }
    for i in a.data.indices where abs(a.data[i] - b.data[i]) > tolerance * max(1, abs(b.data[i])) {
        XCTFail("index \(i): \(a.data[i]) vs \(b.data[i]): \(message())", file: file, line: line)
        return
    }
}

/// Runs `body`, expecting an `EngineError` whose message contains every one of `words`.
func assertRefused(_ words: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an error mentioning \(words)", file: file, line: line)
    } catch let error as EngineError {
        for word in words where !error.message.contains(word) {
            XCTFail("\"\(error.message)\" does not mention \"\(word)\"", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
