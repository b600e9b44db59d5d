import Engine
import XCTest
@testable import NPY

/// Every way a file is refused: each message names the file and what was found.
final class RefusalTests: XCTestCase {
    private func refusal(_ bytes: [UInt8], maxElements: Int = 1 << 27, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            let t = try NPY.decode(bytes, name: "bad.npy", maxElements: maxElements)
            XCTFail("accepted a file of shape \(t.shape)", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error.message.hasPrefix("bad.npy"), "names the file: \(error.message)", file: file, line: line)
            XCTAssertFalse(error.message.contains("\n"), "one line: \(error.message)", file: file, line: line)
            return error.message
        }
    }

    private func assertContains(_ message: String, _ parts: String..., file: StaticString = #filePath, line: UInt = #line) {
        for part in parts {
            XCTAssertTrue(message.contains(part), "\"\(message)\" should mention \"\(part)\"", file: file, line: line)
        }
    }

    private let good = Fixture.file(header: Fixture.dict("<f8", "(2, 2)"), data: Fixture.float64([1, 2, 3, 4]))

    func testWrongMagic() {
        assertContains(refusal(Array("PK\u{3}\u{4} zip file here".utf8)), "not a .npy file", "50 4B 03 04", "\\x93NUMPY")
        var bytes = good
        bytes[1] = UInt8(ascii: "n")
        assertContains(refusal(bytes), "not a .npy file")
        assertContains(refusal([]), "is empty")
    }

    func testTruncatedAtEveryPointOfThePreamble() {
        assertContains(refusal(Array(good.prefix(3))), "truncated", "magic string")
        assertContains(refusal(Array(good.prefix(7))), "truncated", "version")
        assertContains(refusal(Array(good.prefix(9))), "truncated", "header length")
        assertContains(refusal(Array(good.prefix(40))), "truncated", "header should be 118 bytes")
    }

    func testDataShorterOrLongerThanTheHeaderSays() {
        let short = Array(good.dropLast(3))
        assertContains(refusal(short), "shape (2, 2) of float64, 32 bytes", "holds 29 bytes", "truncated")
        assertContains(refusal(good + [0, 0, 0, 0, 0, 0, 0, 0]), "32 bytes", "holds 40 bytes", "longer than its header says")
        let float32Lie = Fixture.file(header: Fixture.dict("<f4", "(3,)"), data: Fixture.float32([1, 2]))
        assertContains(refusal(float32Lie), "(3,) of float32, 12 bytes", "holds 8 bytes")
    }

    func testUnsupportedVersion() {
        var bytes = good
        bytes[6] = 4
        assertContains(refusal(bytes), "version 4.0")
        bytes[6] = 1
        bytes[7] = 1
        assertContains(refusal(bytes), "version 1.1")
    }

    func testFortranOrder() {
        let bytes = Fixture.file(header: Fixture.dict("<f8", "(2, 2)", fortran: "True"), data: Fixture.float64([1, 2, 3, 4]))
        assertContains(refusal(bytes), "Fortran order", "fortran_order: True")
    }

    func testBigEndianIsNamed() {
        let bytes = Fixture.file(header: Fixture.dict(">f8", "(1,)"), data: [0x3F, 0xF0, 0, 0, 0, 0, 0, 0])
        assertContains(refusal(bytes), "big-endian float64", "'>f8'")
        assertContains(refusal(Fixture.file(header: Fixture.dict(">i4", "(1,)"), data: [0, 0, 0, 1])), "big-endian int32")
    }

    func testUnsupportedTypesAreNamed() {
        let cases: [(String, String, Int)] = [
            ("<f2", "float16", 2), ("|u1", "uint8", 1), ("|b1", "bool", 1), ("<c16", "complex128", 16),
            ("|O", "Python object", 8), ("<U3", "unicode string", 12), ("<i2", "int16", 2), ("<u8", "uint64", 8),
            ("<x9", "unknown type", 9),
        ]
        for (descr, name, size) in cases {
            let bytes = Fixture.file(header: Fixture.dict(descr, "(1,)"), data: [UInt8](repeating: 0, count: size))
            assertContains(refusal(bytes), name, "'\(descr)'")
        }
        let structured = "{'descr': [('a', '<f8'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }"
        assertContains(refusal(Fixture.file(header: structured, data: [UInt8](repeating: 0, count: 12))), "structured")
    }

    func testMalformedHeaders() {
        let cases: [(String, String)] = [
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), ", "'}' to close the dictionary"),
            ("{'descr' '<f8', 'fortran_order': False, 'shape': (2, 2), }", "':' after the key 'descr'"),
            ("['descr', '<f8']", "'{' at the start"),
            ("{'descr': '<f8', 'fortran_order': false, 'shape': (2, 2), }", "a string, True, False"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), } x", "the end of the header"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': [2, 2], }", "'shape' should be a tuple"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 'a'), }", "'shape' should be a tuple"),
            ("{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 2), }", "'fortran_order' should be True or False"),
            ("{'descr': '<f8', 'shape': (2, 2), }", "exactly the keys 'descr', 'fortran_order' and 'shape' but has the keys 'descr', 'shape'"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'x': 1, }", "exactly the keys"),
            ("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", "'descr' appears twice"),
            ("{'descr': '<f\\x38', 'fortran_order': False, 'shape': (2, 2), }", "plain ASCII"),
            ("{'descr': '<f8\n', 'fortran_order': False, 'shape': (2, 2), }", "plain ASCII"),
            ("{'descr': '<f8', 'fortran_order': False, 'shape': (((((((((2))))))))), }", "less deeply nested"),
            ("{}", "has no keys"),
            ("", "'{' at the start"),
        ]
        for (header, expected) in cases {
            let message = refusal(Fixture.file(header: header, data: Fixture.float64([1, 2, 3, 4])))
            assertContains(message, expected)
        }
        let binary = Fixture.file(header: "{\u{1}", data: [])
        assertContains(refusal(binary), "malformed header", "\"{\\x01\"")
    }

    func testNegativeSizes() {
        let bytes = Fixture.file(header: Fixture.dict("<f8", "(2, -2)"), data: Fixture.float64([1, 2, 3, 4]))
        assertContains(refusal(bytes), "negative size", "(2, -2)")
    }

    func testCountsThatOverflowOrExceedTheLimit() {
        let overflow = Fixture.file(header: Fixture.dict("<f8", "(4294967296, 4294967296, 4294967296)"), data: [])
        assertContains(refusal(overflow), "(4294967296, 4294967296, 4294967296)", "more elements than tatami's limit of 134217728")
        let huge = Fixture.file(header: Fixture.dict("<f8", "(99999999999999999999999,)"), data: [])
        assertContains(refusal(huge), "too large to count")
        let over = Fixture.file(header: Fixture.dict("<f8", "(1000, 1000)"), data: [])
        assertContains(refusal(over, maxElements: 999_999), "(1000, 1000), 1000000 elements", "limit of 999999")
        let atLimit = Fixture.file(header: Fixture.dict("<f8", "(2, 3)"), data: Fixture.float64([1, 2, 3, 4, 5, 6]))
        XCTAssertNoThrow(try NPY.decode(atLimit, name: "ok.npy", maxElements: 6))
        // The real limit is checked on the header alone, before any data is allocated.
        let claimed = Fixture.file(header: Fixture.dict("<f8", "(134217729,)"), data: [])
        assertContains(refusal(claimed), "134217729 elements")
    }

    func testFilesThatCannotBeRead() throws {
        let dir = try Fixture.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func message(_ path: String, maxElements: Int = 1 << 27) -> String {
            do {
                _ = try NPY.read(path: path, maxElements: maxElements)
                XCTFail("read \(path)")
            } catch { return error.message }
            return ""
        }
        XCTAssertEqual(message(dir + "/missing.npy"), "\(dir)/missing.npy does not exist.")
        XCTAssertEqual(message(dir), "\(dir) is a directory, not a .npy file.")
        let big = dir + "/big.npy"
        _ = FileManager.default.createFile(atPath: big, contents: Data(count: 2 << 20))
        XCTAssertTrue(message(big, maxElements: 100).contains("is 2097152 bytes long"))
        let wrong = dir + "/wrong.npy"
        _ = FileManager.default.createFile(atPath: wrong, contents: Data("hello".utf8))
        XCTAssertTrue(message(wrong).hasPrefix("\(wrong) is not a .npy file"))
        if getuid() != 0 {
            let locked = dir + "/locked.npy"
            _ = FileManager.default.createFile(atPath: locked, contents: Data(NPY.encode(Tensor(shape: [1], data: [1]))),
                                           attributes: [.posixPermissions: 0o000])
            XCTAssertEqual(message(locked), "\(locked) cannot be read (permission denied).")
        }
    }
}
