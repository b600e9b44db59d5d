import Foundation
import XCTest

/// `compute` writes all of its files or none, and leaves no output of an earlier run beside
/// the new ones.
final class ComputeWriteTests: XCTestCase {
    /// A place that cannot take a file (a folder named `dx.npy`) stops the run before anything
    /// is written, with one sentence naming that place.
    func testAFileThatCannotBeWrittenLeavesNoneOfTheOthers() throws {
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [1, 1, 4, 4], ramp(16))
        let w = try s.save("w.npy", [1, 1, 2, 2], [1, 0, 0, 1])
        let dy = try s.save("dy.npy", [1, 1, 3, 3], [Double](repeating: 1, count: 9))
        try FileManager.default.createDirectory(atPath: s.file("o/dx.npy"), withIntermediateDirectories: true)
        let r = try Executable.run(["compute", "conv2d", "--x", x, "--w", w, "--dy", dy, "--out", s.file("o")])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains(s.file("o/dx.npy")), r.stderr)
        XCTAssertFalse(r.stderr.contains("NSCocoaErrorDomain"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        let left = try FileManager.default.contentsOfDirectory(atPath: s.file("o"))
        XCTAssertEqual(left, ["dx.npy"], "nothing written, no partial file left")
    }

    /// A folder that cannot be written to: one sentence, no partial files.
    func testAnUnwritableFolderIsOneSentenceAndLeavesNothing() throws {
        guard getuid() != 0 else { throw XCTSkip("root writes anywhere") }
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [1, 1, 4, 4], ramp(16))
        try FileManager.default.createDirectory(atPath: s.file("ro"), withIntermediateDirectories: true)
        chmod(s.file("ro"), 0o555)
        defer { chmod(s.file("ro"), 0o755) }
        let r = try Executable.run(["compute", "im2col", "--x", x, "--filter", "2,2", "--out", s.file("ro")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains(s.file("ro/cols.npy")), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: s.file("ro")), [])
    }

    /// A run without `--dy` after one with it: the gradients of the earlier run are removed,
    /// and the output says so; the files left are this run's.
    func testOutputsOfAnEarlierRunAreRemovedAndNamed() throws {
        let s = try ComputeScratch()
        let x = try s.save("x.npy", [1, 1, 4, 4], ramp(16))
        let w = try s.save("w.npy", [1, 1, 2, 2], [1, 0, 0, 1])
        let dy = try s.save("dy.npy", [1, 1, 3, 3], [Double](repeating: 1, count: 9))
        try computeOK(["conv2d", "--x", x, "--w", w, "--dy", dy, "--out", s.file("o")])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: s.file("o")).sorted(),
                       ["db.npy", "dw.npy", "dx.npy", "y.npy"])
        try FileManager.default.createDirectory(atPath: s.file("o/notes"), withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: s.file("o/notes.txt")))
        let r = try computeOK(["conv2d", "--x", x, "--w", w, "--out", s.file("o")])
        for name in ["dx.npy", "dw.npy", "db.npy"] {
            XCTAssertTrue(r.stdout.contains("removed \(s.file("o/" + name))"), r.stdout)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: s.file("o")).sorted(),
                       ["notes", "notes.txt", "y.npy"], "only the command's own files are removed")
        // Pooling alike: its dx goes when a later run has no --dy; y and argmax stay, rewritten.
        let pooledDy = try s.save("pdy.npy", [1, 1, 2, 2], [1, 1, 1, 1])
        try computeOK(["maxpool", "--x", x, "--pool", "2", "--dy", pooledDy, "--out", s.file("p")])
        let again = try computeOK(["maxpool", "--x", x, "--pool", "2", "--out", s.file("p")])
        XCTAssertTrue(again.stdout.contains("removed \(s.file("p/dx.npy"))"), again.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: s.file("p")).sorted(), ["argmax.npy", "y.npy"])
    }
}
