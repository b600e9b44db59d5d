import Engine
import XCTest
@testable import NPY

final class WriteTests: XCTestCase {
    func testHeaderIsByteExact() {
        let bytes = NPY.encode(Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6]))
        let dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
        // 10 bytes of preamble and 59 of dictionary do not fit in 64, so the header takes 128.
        XCTAssertEqual(dict.utf8.count, 59)
        let expected: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00]
            + Array(dict.utf8) + [UInt8](repeating: 0x20, count: 128 - 10 - 59 - 1) + [0x0A]
        XCTAssertEqual(Array(bytes.prefix(128)), expected)
        XCTAssertEqual(bytes.count, 128 + 48)
        XCTAssertEqual(Array(bytes[128..<136]), [0, 0, 0, 0, 0, 0, 0xF0, 0x3F], "1.0 little-endian")
        XCTAssertEqual(Array(bytes[168..<176]), [0, 0, 0, 0, 0, 0, 0x18, 0x40], "6.0 little-endian")
    }

    func testShapesAreWrittenAsPythonTuples() {
        XCTAssertEqual(NPY.headerDictionary(shape: []), "{'descr': '<f8', 'fortran_order': False, 'shape': (), }")
        XCTAssertEqual(NPY.headerDictionary(shape: [7]), "{'descr': '<f8', 'fortran_order': False, 'shape': (7,), }")
        XCTAssertEqual(NPY.headerDictionary(shape: [1, 2, 3, 4]),
                       "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 3, 4), }")
    }

    func testDataStartsAtAMultipleOf64AndHeaderEndsWithNewline() throws {
        for shape in [[], [1], [123_456_789_012], [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3]] {
            // Only the header depends on the shape, so a tensor without data is enough here.
            var t = Tensor(shape: [0], data: [])
            t.shape = shape
            let bytes = NPY.encode(t)
            let header = try NPYHeader.parse(bytes, name: "w.npy", maxElements: Int.max)
            XCTAssertEqual(header.dataOffset % 64, 0, "shape \(shape)")
            XCTAssertEqual(bytes[header.dataOffset - 1], 0x0A, "shape \(shape)")
            XCTAssertEqual(header.version.major, 1)
        }
    }

    func testVersionTwoOnlyWhenTheHeaderNeedsIt() throws {
        let shape = [Int](repeating: 1, count: 25_000)
        let bytes = NPY.encode(Tensor(shape: shape, data: [9]))
        XCTAssertEqual(bytes[6], 2)
        let header = try NPYHeader.parse(bytes, name: "w.npy", maxElements: 10)
        XCTAssertEqual(header.dataOffset % 64, 0)
        XCTAssertGreaterThan(header.dataOffset, 65_535)
        XCTAssertEqual(try NPY.decode(bytes, name: "w.npy").data, [9])
    }

    func testRoundTrip() throws {
        var generator = SplitMix64(seed: 12345)
        func next() -> Double { Double(Int64(bitPattern: generator.next())) / 1e15 }
        for shape in [[2, 3, 4, 5], [1], [], [4, 1, 3]] {
            let t = Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in next() })
            XCTAssertEqual(try NPY.decode(NPY.encode(t), name: "r.npy"), t)
        }
        let special = Tensor(shape: [4], data: [.infinity, -.infinity, -0.0, .leastNonzeroMagnitude])
        XCTAssertEqual(try NPY.decode(NPY.encode(special), name: "r.npy").data.map(\.bitPattern), special.data.map(\.bitPattern))
        let nan = try NPY.decode(NPY.encode(Tensor(shape: [1], data: [.nan])), name: "r.npy")
        XCTAssertTrue(nan.data[0].isNaN)
    }

    func testFilesAreWrittenAndReadBack() throws {
        let dir = try Fixture.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = Tensor(shape: [2, 2], data: [1, 2, 3, 4])
        try NPY.write(t, to: dir + "/t.npy")
        XCTAssertEqual(try NPY.read(path: dir + "/t.npy"), t)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["t.npy"], "no temporary file left behind")
    }

    func testWritingIntoAMissingDirectoryIsRefused() throws {
        XCTAssertThrowsError(try NPY.write(Tensor(shape: [1], data: [1]), to: "/nonexistent-dir-for-npy/t.npy")) { error in
            let message = (error as? NPYError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("/nonexistent-dir-for-npy/t.npy cannot be written ("), message)
        }
    }
}
