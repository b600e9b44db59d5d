import Foundation
import XCTest

/// The round trip a student makes: arrays saved by numpy, computed by `tatami compute`,
/// loaded back by numpy and compared with a direct-loop numpy layer written here.
final class ComputeNumpyTests: XCTestCase {
    /// Direct loops over every output cell and window position: no im2col anywhere, so
    /// that the reference shares nothing with the engine's method.
    private static let script = #"""
import sys, json
import numpy as np

def geometry(H, W, FH, FW, s, p, d):
    OH = (H + 2 * p[0] - (d[0] * (FH - 1) + 1)) // s[0] + 1
    OW = (W + 2 * p[1] - (d[1] * (FW - 1) + 1)) // s[1] + 1
    return OH, OW

def conv(x, w, b, dy, s, p, d):
    B, C, H, W = x.shape
    M, _, FH, FW = w.shape
    OH, OW = geometry(H, W, FH, FW, s, p, d)
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    y = np.zeros((B, M, OH, OW)); dxp = np.zeros_like(xp); dw = np.zeros_like(w)
    for n in range(B):
        for m in range(M):
            for i in range(OH):
                for j in range(OW):
                    acc = b[m]
                    for c in range(C):
                        for u in range(FH):
                            for v in range(FW):
                                r, q = i * s[0] + u * d[0], j * s[1] + v * d[1]
                                acc += xp[n, c, r, q] * w[m, c, u, v]
                                dxp[n, c, r, q] += dy[n, m, i, j] * w[m, c, u, v]
                                dw[m, c, u, v] += dy[n, m, i, j] * xp[n, c, r, q]
                    y[n, m, i, j] = acc
    db = np.array([dy[:, m].sum() for m in range(M)])
    return y, dxp[:, :, p[0]:p[0] + H, p[1]:p[1] + W], dw, db

def pool(x, dy, k, s, p, mode):
    B, C, H, W = x.shape
    OH, OW = geometry(H, W, k[0], k[1], s, p, (1, 1))
    xp = np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    y = np.zeros((B, C, OH, OW)); arg = np.zeros((B, C, OH, OW)); dxp = np.zeros_like(xp)
    for n in range(B):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    best, where, total = None, 0, 0.0
                    for u in range(k[0]):
                        for v in range(k[1]):
                            value = xp[n, c, i * s[0] + u, j * s[1] + v]
                            total += value
                            if best is None or value > best:
                                best, where = value, u * k[1] + v
                    if mode == "max":
                        y[n, c, i, j] = best; arg[n, c, i, j] = where
                        dxp[n, c, i * s[0] + where // k[1], j * s[1] + where % k[1]] += dy[n, c, i, j]
                    else:
                        y[n, c, i, j] = total / (k[0] * k[1])
                        for u in range(k[0]):
                            for v in range(k[1]):
                                dxp[n, c, i * s[0] + u, j * s[1] + v] += dy[n, c, i, j] / (k[0] * k[1])
    return y, arg, dxp[:, :, p[0]:p[0] + H, p[1]:p[1] + W]

def main():
    command, directory, config = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    rng = np.random.default_rng(config["seed"])
    path = lambda name: directory + "/" + name
    s, p, d = config["stride"], config["pad"], config.get("dilation", [1, 1])
    if config["op"] == "conv2d":
        B, C, H, W = config["x"]; M, FH, FW = config["m"], config["filter"][0], config["filter"][1]
        if command == "make":
            OH, OW = geometry(H, W, FH, FW, s, p, d)
            for name, shape in [("x", (B, C, H, W)), ("w", (M, C, FH, FW)), ("b", (M,)), ("dy", (B, M, OH, OW))]:
                np.save(path(name + ".npy"), rng.standard_normal(shape))
            return
        x, w, b, dy = (np.load(path(n + ".npy")) for n in ("x", "w", "b", "dy"))
        expected = dict(zip(["y", "dx", "dw", "db"], conv(x, w, b, dy, s, p, d)))
    else:
        B, C, H, W = config["x"]; k = config["pool"]
        if command == "make":
            OH, OW = geometry(H, W, k[0], k[1], s, p, (1, 1))
            np.save(path("x.npy"), rng.standard_normal((B, C, H, W)))
            np.save(path("dy.npy"), rng.standard_normal((B, C, OH, OW)))
            return
        x, dy = np.load(path("x.npy")), np.load(path("dy.npy"))
        y, arg, dx = pool(x, dy, k, s, p, "max" if config["op"] == "maxpool" else "avg")
        expected = {"y": y, "dx": dx}
        if config["op"] == "maxpool":
            expected["argmax"] = arg
    for name, want in expected.items():
        got = np.load(path("out/" + name + ".npy"))
        assert got.dtype == np.float64, f"{name}.npy is {got.dtype}"
        assert got.shape == want.shape, f"{name}.npy has shape {got.shape}, expected {want.shape}"
        error = float(np.max(np.abs(got - want))) if want.size else 0.0
        assert error <= 1e-9, f"{name}.npy differs from the direct loops by {error}"
        print(f"{config['op']} {name} {want.shape} max error {error:.3g}")

main()
"""#

    private func requireNumpy() throws {
        let probe = try Executable.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import numpy"])
        guard probe.status == 0 else {
            XCTFail("this test needs python3 with numpy; install it with `pip install numpy` (CI installs it): \(probe.stderr)")
            throw ExecutableError(message: "numpy is missing")
        }
    }

    private func python(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try Executable.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments, timeout: 300)
        XCTAssertEqual(result.status, 0, "python: \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// Makes random arrays with numpy, runs tatami, and checks every output with numpy.
    private func roundTrip(_ config: [String: Any], flags: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let s = try ComputeScratch()
        let script = s.file("reference.py")
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        _ = try python([script, "make", s.path, json], file: file, line: line)
        let op = config["op"] as? String ?? ""
        let inputs = op == "conv2d"
            ? ["--x", s.file("x.npy"), "--w", s.file("w.npy"), "--b", s.file("b.npy")]
            : ["--x", s.file("x.npy")]
        try computeOK([op] + inputs + flags + ["--dy", s.file("dy.npy"), "--out", s.file("out")], file: file, line: line)
        let report = try python([script, "check", s.path, json], file: file, line: line)
        XCTAssertTrue(report.contains(" y "), report, file: file, line: line)
    }

    func testConv2DAgreesWithNumpyDirectLoops() throws {
        try requireNumpy()
        try roundTrip(["op": "conv2d", "seed": 1, "x": [2, 3, 7, 6], "m": 4, "filter": [3, 2],
                       "stride": [2, 1], "pad": [1, 2], "dilation": [1, 2]],
                      flags: ["--stride", "2,1", "--pad", "1,2", "--dilation", "1,2"])
        try roundTrip(["op": "conv2d", "seed": 2, "x": [3, 2, 5, 8], "m": 2, "filter": [2, 3],
                       "stride": [3, 2], "pad": [0, 0], "dilation": [2, 1]],
                      flags: ["--stride", "3,2", "--dilation", "2,1"])
        // pad "same" with stride 1 and a 3×3 filter is 1 on both axes.
        try roundTrip(["op": "conv2d", "seed": 3, "x": [1, 2, 4, 5], "m": 3, "filter": [3, 3],
                       "stride": [1, 1], "pad": [1, 1]],
                      flags: ["--pad", "same"])
    }

    func testPoolingAgreesWithNumpyDirectLoops() throws {
        try requireNumpy()
        try roundTrip(["op": "maxpool", "seed": 4, "x": [2, 3, 7, 6], "pool": [3, 2], "stride": [2, 1], "pad": [1, 1]],
                      flags: ["--pool", "3,2", "--stride", "2,1", "--pad", "1"])
        try roundTrip(["op": "maxpool", "seed": 5, "x": [2, 2, 6, 6], "pool": [2, 2], "stride": [2, 2], "pad": [0, 0]],
                      flags: ["--pool", "2"])
        try roundTrip(["op": "avgpool", "seed": 6, "x": [2, 3, 7, 5], "pool": [3, 2], "stride": [2, 3], "pad": [0, 0]],
                      flags: ["--pool", "3,2", "--stride", "2,3"])
    }
}
