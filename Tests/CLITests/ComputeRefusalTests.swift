import Engine
import Foundation
import NPY
import XCTest

/// Every bad input to `tatami compute`: one sentence naming the problem, exit code 1 for what
/// the files hold and 64 for the command line itself, and nothing written into `--out`.
final class ComputeRefusalTests: XCTestCase {
    private var s: ComputeScratch!
    private var x = "", w = "", out = ""

    override func setUpWithError() throws {
        s = try ComputeScratch()
        x = try s.save("x.npy", [1, 1, 4, 4], ramp(16))
        w = try s.save("w.npy", [1, 1, 2, 2], [1, 10, 100, 1000])
        out = s.file("out")
    }

    override func tearDownWithError() throws {
        XCTAssertFalse(s.exists("out"), "nothing may be written into --out on error")
        s = nil
    }

    func testMissingAndUnreadableFiles() throws {
        try computeFails(["conv2d", "--x", s.file("nope.npy"), "--w", w, "--out", out], mentioning: ["nope.npy does not exist"])
        try computeFails(["conv2d", "--x", s.path, "--w", w, "--out", out], mentioning: ["is a directory"])
        let text = try s.saveBytes("text.npy", Array("x,y\n1,2\n".utf8))
        try computeFails(["maxpool", "--x", text, "--pool", "2", "--out", out], mentioning: [text, "not a .npy file"])
    }

    func testEveryNPYRefusalReachesTheUser() throws {
        let good = NPYBytes.file(descr: "<f8", shape: "(1, 1, 2, 2)", data: [UInt8](repeating: 0, count: 32))
        let cases: [(String, [UInt8], [String])] = [
            ("truncated.npy", Array(good.prefix(30)), ["truncated"]),
            ("short.npy", Array(good.dropLast(8)), ["holds 24 bytes", "truncated"]),
            ("long.npy", good + [0, 0, 0, 0], ["holds 36 bytes", "longer than its header says"]),
            ("fortran.npy", NPYBytes.file(descr: "<f8", shape: "(1, 1, 2, 2)", fortran: true, data: [UInt8](repeating: 0, count: 32)), ["Fortran order"]),
            ("big.npy", NPYBytes.file(descr: ">f8", shape: "(1, 1, 2, 2)", data: [UInt8](repeating: 0, count: 32)), ["big-endian float64", "'>f8'"]),
            ("half.npy", NPYBytes.file(descr: "<f2", shape: "(1, 1, 2, 2)", data: [UInt8](repeating: 0, count: 8)), ["float16", "'<f2'"]),
            ("dict.npy", NPYBytes.file(descr: "<f8', 'shape", shape: "(1,)", data: []), ["malformed header"]),
            ("negative.npy", NPYBytes.file(descr: "<f8", shape: "(1, -1, 2, 2)", data: []), ["negative size", "(1, -1, 2, 2)"]),
            ("overflow.npy", NPYBytes.file(descr: "<f8", shape: "(65536, 65536, 65536, 65536)", data: []), ["more elements than tatami's limit of 134217728"]),
            ("huge.npy", NPYBytes.file(descr: "<f8", shape: "(1, 1, 16384, 16384)", data: []), ["268435456 elements", "limit of 134217728"]),
        ]
        for (name, bytes, parts) in cases {
            let path = try s.saveBytes(name, bytes)
            try computeFails(["conv2d", "--x", path, "--w", w, "--out", out], mentioning: [path] + parts)
        }
    }

    func testWrongRanksAndEmptyAxes() throws {
        let flat = try s.save("flat.npy", [16], ramp(16))
        try computeFails(["conv2d", "--x", flat, "--w", w, "--out", out], mentioning: [flat, "(16,)", "4 axes"])
        try computeFails(["conv2d", "--x", x, "--w", flat, "--out", out], mentioning: [flat, "(16,)", "filters"])
        try computeFails(["maxpool", "--x", flat, "--pool", "2", "--out", out], mentioning: [flat, "4 axes"])
        try computeFails(["im2col", "--x", flat, "--filter", "2,2", "--out", out], mentioning: [flat, "4 axes"])
        let empty = try s.save("empty.npy", [0, 1, 4, 4], [])
        try computeFails(["conv2d", "--x", empty, "--w", w, "--out", out], mentioning: [empty, "(0, 1, 4, 4)", "empty axis"])
        let cols = try s.save("cols.npy", [4, 9, 1], [Double](repeating: 1, count: 36))
        try computeFails(["col2im", "--cols", cols, "--shape", "1,1,4,4", "--filter", "2,2", "--out", out],
                         mentioning: [cols, "(4, 9, 1)", "needs (4, 9)"])
    }

    func testMismatchedShapesNameBothShapes() throws {
        let w3 = try s.save("w3.npy", [2, 3, 2, 2], [Double](repeating: 1, count: 24))
        try computeFails(["conv2d", "--x", x, "--w", w3, "--out", out], mentioning: ["(1, 1, 4, 4)", "(2, 3, 2, 2)", "channels"])
        let b = try s.save("b.npy", [2], [1, 2])
        try computeFails(["conv2d", "--x", x, "--w", w, "--b", b, "--out", out], mentioning: [b, "(2,)", "(1, 1, 2, 2)", "(1,)"])
        let cols = try s.save("cols.npy", [4, 8], [Double](repeating: 1, count: 32))
        try computeFails(["col2im", "--cols", cols, "--shape", "1,1,4,4", "--filter", "2,2", "--out", out],
                         mentioning: ["(4, 8)", "(4, 9)"])
        try computeFails(["col2im", "--cols", cols, "--shape", "1,1,4,4", "--filter", "2,2", "--layout", "rows", "--out", out],
                         mentioning: ["(4, 8)", "(9, 4)", "rows layout"])
    }

    func testGradientOfTheWrongShape() throws {
        let dy = try s.save("dy.npy", [1, 1, 2, 2], [1, 1, 1, 1])
        try computeFails(["conv2d", "--x", x, "--w", w, "--dy", dy, "--out", out], mentioning: [dy, "(1, 1, 2, 2)", "(1, 1, 3, 3)"])
        let dy3 = try s.save("dy3.npy", [1, 1, 3, 3], [Double](repeating: 1, count: 9))
        try computeFails(["maxpool", "--x", x, "--pool", "2", "--dy", dy3, "--out", out], mentioning: [dy3, "(1, 1, 3, 3)", "(1, 1, 2, 2)"])
        try computeFails(["avgpool", "--x", x, "--pool", "2", "--dy", dy3, "--out", out], mentioning: [dy3, "(1, 1, 2, 2)"])
        try computeFails(["conv2d", "--x", x, "--w", w, "--dy", s.file("none.npy"), "--out", out], mentioning: ["none.npy does not exist"])
    }

    func testBadGeometry() throws {
        try computeFails(["conv2d", "--x", x, "--w", w, "--stride", "0", "--out", out],
                         mentioning: ["--stride must be at least 1 (got 0)"], status: 64)
        try computeFails(["maxpool", "--x", x, "--pool", "2", "--stride", "1,0", "--out", out],
                         mentioning: ["--stride must be at least 1 (got 1,0)"], status: 64)
        try computeFails(["im2col", "--x", x, "--filter", "5,2", "--out", out], mentioning: ["5×2", "4×4"])
        try computeFails(["maxpool", "--x", x, "--pool", "5", "--out", out], mentioning: ["5×5", "4×4"])
        try computeFails(["im2col", "--x", x, "--filter", "2,2", "--dilation", "4", "--out", out], mentioning: ["5×5", "dilation"])
        let w7 = try s.save("w7.npy", [1, 1, 7, 1], ramp(7))
        try computeFails(["conv2d", "--x", x, "--w", w7, "--pad", "1", "--out", out], mentioning: ["7×1", "6×6"])
        let w2 = try s.save("w2.npy", [1, 1, 2, 2], ramp(4))
        try computeFails(["conv2d", "--x", x, "--w", w2, "--pad", "same", "--out", out], mentioning: ["same", "0.5", "whole number"])
        try computeFails(["conv2d", "--x", x, "--w", w, "--pad=-1", "--out", out], mentioning: ["--pad must be at least 0 (got -1)"], status: 64)
        try computeFails(["conv2d", "--x", x, "--w", w, "--pad", "-1", "--out", out], mentioning: ["--pad must be at least 0 (got -1)"], status: 64)
        try computeFails(["im2col", "--x", x, "--filter", "0,2", "--out", out], mentioning: ["--filter must be at least 1 (got 0,2)"], status: 64)
        try computeFails(["im2col", "--x", x, "--filter", "2,2", "--dilation", "-2", "--out", out],
                         mentioning: ["--dilation must be at least 1 (got -2)"], status: 64)
        try computeFails(["col2im", "--cols", x, "--shape", "1,0,4,4", "--filter", "2,2", "--out", out],
                         mentioning: ["--shape 1,0,4,4 asks for 0 channels", "at least 1"], status: 64)
    }

    func testSizesOverTheLimit() throws {
        // 2^30 input cells are refused from --shape alone, before any file is read.
        try computeFails(["col2im", "--cols", x, "--shape", "1,1,32768,32768", "--filter", "1,1", "--out", out],
                         mentioning: ["134217728"])
        try computeFails(["col2im", "--cols", x, "--shape", "4611686018427387904,2,2,2", "--filter", "1,1", "--out", out],
                         mentioning: ["134217728"])
        // A small input whose im2col matrix would be too large: 64×64 placements of a 64×64 window.
        let xs = try s.save("big.npy", [1, 9, 127, 127], [Double](repeating: 0, count: 9 * 127 * 127))
        try computeFails(["im2col", "--x", xs, "--filter", "64,64", "--out", out], mentioning: ["im2col", "134217728"])
    }

    func testMalformedNumbers() throws {
        try computeFails(["conv2d", "--x", x, "--w", w, "--stride", "2,x", "--out", out], mentioning: ["--stride 2,x", "'x'", "not an integer"], status: 64)
        try computeFails(["conv2d", "--x", x, "--w", w, "--pad", "1,2,3", "--out", out], mentioning: ["--pad 1,2,3", "3 numbers"], status: 64)
        try computeFails(["conv2d", "--x", x, "--w", w, "--dilation", "", "--out", out], mentioning: ["--dilation", "empty number"], status: 64)
        try computeFails(["maxpool", "--x", x, "--pool", "2,", "--out", out], mentioning: ["--pool 2,", "empty number"], status: 64)
        try computeFails(["im2col", "--x", x, "--filter", "2,2", "--layout", "cols", "--out", out],
                         mentioning: ["--layout must be seed or rows, not \"cols\""], status: 64)
        try computeFails(["col2im", "--cols", x, "--shape", "1,1,4", "--filter", "2,2", "--out", out], mentioning: ["--shape 1,1,4", "four"], status: 64)
        try computeFails(["im2col", "--x", x, "--filter", "99999999999999999999", "--out", out], mentioning: ["not an integer"], status: 64)
    }

    func testOutThatIsAFile() throws {
        let file = try s.save("taken", [1], [1])
        try computeFails(["maxpool", "--x", x, "--pool", "2", "--out", file], mentioning: ["--out", "is a file"])
        try computeFails(["maxpool", "--x", x, "--pool", "2", "--out", file + "/sub/dir"], mentioning: ["cannot be created", "\(file) is not a directory"])
    }

    func testUsageErrorsKeepArgumentParsersExitCode() throws {
        try computeFails(["conv2d", "--x", x, "--out", out], mentioning: ["Missing expected argument '--w <w.npy>'"], status: 64)
    }
}
