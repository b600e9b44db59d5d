import Engine
import Foundation
import NPY
import XCTest

/// A scratch directory for one test's input and output files.
final class ComputeScratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "tatami-compute-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Saves `tensor` as `name` and returns its path.
    @discardableResult
    func save(_ name: String, _ shape: [Int], _ data: [Double]) throws -> String {
        let file = self.file(name)
        try NPY.write(Tensor(shape: shape, data: data), to: file)
        return file
    }

    /// Saves raw bytes as `name` and returns its path.
    @discardableResult
    func saveBytes(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = self.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func file(_ name: String) -> String { path + "/" + name }

    func load(_ name: String) throws -> Tensor { try NPY.read(path: file(name)) }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }
}

/// The ramp 1…n, the seed's worked example's input.
func ramp(_ n: Int) -> [Double] { (1...n).map(Double.init) }

extension XCTestCase {
    /// Runs `tatami compute ...` and expects success.
    @discardableResult
    func computeOK(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ExecutableResult {
        let result = try Executable.run(["compute"] + arguments, file: file, line: line)
        XCTAssertEqual(result.status, 0, "stderr: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr, "", file: file, line: line)
        return result
    }

    /// Runs `tatami compute ...`, expects exit code `status` (1 for what the files hold, 64 for
    /// the command line itself) and one `tatami: ` sentence on stderr that contains every one
    /// of `parts`.
    func computeFails(_ arguments: [String], mentioning parts: [String], status: Int32 = 1,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try Executable.run(["compute"] + arguments, file: file, line: line)
        XCTAssertEqual(result.status, status, "stderr: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("tatami: "), "stderr: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasSuffix(".\n"), "one sentence: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)", file: file, line: line)
        XCTAssertFalse(result.stderr.contains("Fatal error"), file: file, line: line)
        for part in parts {
            XCTAssertTrue(result.stderr.contains(part), "\"\(result.stderr)\" should mention \"\(part)\"", file: file, line: line)
        }
    }
}

/// Asserts two tensors have the same shape and agree to `tolerance`.
func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Double = 1e-12, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, file: file, line: line)
    guard a.shape == b.shape else { return }
    for (k, (u, v)) in zip(a.data, b.data).enumerated() where abs(u - v) > tolerance {
        XCTFail("element \(k): \(u) vs \(v)", file: file, line: line)
        return
    }
}
