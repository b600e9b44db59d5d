import Foundation
import XCTest
import Engine
import NPY

/// Absurd sizes, through the real executable: each is refused up front with the limit named,
/// without the memory it asks for. That the refusal comes before the work is read from what
/// it says (the limit, the count the shapes imply), never from a clock.
final class HardeningLimitTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "tatami-hardening-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A header-only `.npy` file claiming `shape`: a few dozen bytes that describe gigabytes.
    private func claim(_ shape: String, name: String) throws -> String {
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }"
        header += String(repeating: " ", count: 63 - (10 + header.utf8.count) % 64) + "\n"
        let n = header.utf8.count
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(header.utf8)
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs tatami and checks it failed with one message holding every part of `expected`.
    @discardableResult
    private func refused(_ arguments: [String], _ expected: String...,
                         file: StaticString = #filePath, line: UInt = #line) throws -> String {
        // The timeout only keeps a hung run from stalling the suite; it is not what is tested.
        let result = try Executable.run(arguments, directory: folder, timeout: 120, file: file, line: line)
        XCTAssertFalse(result.timedOut, "timed out: \(arguments)", file: file, line: line)
        XCTAssertNotEqual(result.status, 0, "\(arguments) succeeded", file: file, line: line)
        for part in expected {
            XCTAssertTrue(result.stderr.contains(part), "stderr should mention \"\(part)\": \(result.stderr)", file: file, line: line)
        }
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        return result.stderr
    }

    func testComputeRefusesAHeaderClaimingABillionElements() throws {
        let x = try claim("(1, 1, 1000, 1000000)", name: "x.npy")
        try Data(NPY.encode(Tensor(shape: [1, 1, 3, 3], data: Array(repeating: 1, count: 9))))
            .write(to: URL(fileURLWithPath: folder + "/w.npy"))
        try refused(["compute", "conv2d", "--x", x, "--w", folder + "/w.npy", "--out", folder + "/out"],
                    "1000000000 elements", "limit of 134217728")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/out/y.npy"))
    }

    func testFreePlayRefusesAShapeOfATrillionElements() throws {
        try refused(["play", "--op", "conv", "--shape", "1000,1000,1000,1000"], "1000,1000,1000,1000", "134217728")
        try refused(["play", "--op", "pool", "--shape", "9223372036854775807,2,2,2"], "134217728")
    }

    /// A shape that fits in memory but whose trace would not: refused before it is run, not
    /// after recording the limit's worth of events (tens of seconds and close to a gigabyte).
    /// The refusal from the shapes says what they "would record" and by which product of sizes;
    /// one that came after recording could only say that the limit was reached.
    func testFreePlayRefusesATraceOverTheEventLimitBeforeRunningIt() throws {
        // 1·1·3·3·1·1998·1998 multiplications, two events each forward.
        try refused(["play", "--op", "conv", "--shape", "1,1,2000,2000"],
                    "would record at least 71856072 trace events", "35928036 for M·C·FH·FW·B·OH·OW", "16000000")
        // 8·4·5·5·1·296·296 multiplications, four events each with the backward pass.
        try refused(["play", "--op", "conv", "--shape", "1,4,300,300", "--filter", "8,4,5,5", "--passes", "backward"],
                    "would record at least 280371200 trace events", "70092800 for M·C·FH·FW·B·OH·OW", "16000000")
        // 1·8·998·998·3·3 cells read, one event each.
        try refused(["play", "--op", "pool", "--shape", "1,8,1000,1000", "--pool", "3", "--stride", "1"],
                    "would record at least 71712288 trace events", "for B·C·OH·OW·PH·PW", "16000000")
    }

    func testRenderRefusesAnAbsurdFrameSize() throws {
        try refused(["render", "01", "--size", "100000x100000"], "100000x100000", "1000x500")
        try refused(["render", "01", "--size", "9223372036854775807x9"], "1000x500")
    }

    func testCheckRefusesLessonsOverTheLimitsNamingThem() throws {
        let lessons = [
            ("huge.md", "x.shape: 1000000,1000,1000,1000\nw.shape: 1,1000,3,3", ["at most 8"]),
            ("work.md", "passes: update\nx.shape: 1,1,64,64\nw.shape: 8,1,8,8", ["1663488 multiplications", "65536"]),
            ("cells.md", "x.shape: 8,8,64,64\nw.shape: 1,8,1,1", ["4096"]),
        ]
        for (name, setup, expected) in lessons {
            let text = "---\ntitle.en: t\ntitle.ja: t\noperation: conv\n\(setup)\n---\n"
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
            let message = try refused(["check", name], expected.first!)
            for part in expected.dropFirst() { XCTAssertTrue(message.contains(part), message) }
            XCTAssertTrue(message.contains("\(name):"), "names the file with a position: \(message)")
        }
    }
}
