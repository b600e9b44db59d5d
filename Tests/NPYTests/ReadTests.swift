import Engine
import XCTest
@testable import NPY

final class ReadTests: XCTestCase {
    func testFloat64MatchesValuesAndShape() throws {
        let values: [Double] = [1.5, -2.25, 0, .pi, 1e300, -1e-300]
        let bytes = Fixture.file(header: Fixture.dict("<f8", "(2, 3)"), data: Fixture.float64(values))
        let t = try NPY.decode(bytes, name: "a.npy")
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.data, values)
    }

    func testFloat32IsWidenedExactly() throws {
        let values: [Float] = [0.1, -3.5, 16_777_215, .greatestFiniteMagnitude]
        let bytes = Fixture.file(header: Fixture.dict("<f4", "(4,)"), data: Fixture.float32(values))
        let t = try NPY.decode(bytes, name: "a.npy")
        XCTAssertEqual(t.shape, [4])
        XCTAssertEqual(t.data, values.map(Double.init))
    }

    func testIntegersAreConverted() throws {
        let i64: [Int64] = [0, -1, 1 << 40, Int64.min + 1]
        let t64 = try NPY.decode(Fixture.file(header: Fixture.dict("<i8", "(2, 2)"), data: Fixture.int64(i64)), name: "a.npy")
        XCTAssertEqual(t64.data, i64.map(Double.init))
        let i32: [Int32] = [7, -7, Int32.max, Int32.min]
        let t32 = try NPY.decode(Fixture.file(header: Fixture.dict("<i4", "(1, 4)"), data: Fixture.int32(i32)), name: "a.npy")
        XCTAssertEqual(t32.shape, [1, 4])
        XCTAssertEqual(t32.data, i32.map(Double.init))
    }

    func testByteOrderMarksNumpyWrites() throws {
        for mark in ["|", "=", ""] {
            let bytes = Fixture.file(header: Fixture.dict(mark + "f8", "(1,)"), data: Fixture.float64([42]))
            XCTAssertEqual(try NPY.decode(bytes, name: "a.npy").data, [42], "byte order mark '\(mark)'")
        }
    }

    func testVersionsTwoAndThree() throws {
        for major: UInt8 in [2, 3] {
            let bytes = Fixture.file(header: Fixture.dict("<f8", "(2,)"), major: major, data: Fixture.float64([1, 2]))
            let header = try NPYHeader.parse(bytes, name: "a.npy", maxElements: 100)
            XCTAssertEqual(header.version.major, major)
            XCTAssertEqual(header.dataOffset, 128)
            XCTAssertEqual(try NPY.decode(bytes, name: "a.npy").data, [1, 2])
        }
    }

    func testScalarAndEmptyShapes() throws {
        let scalar = try NPY.decode(Fixture.file(header: Fixture.dict("<f8", "()"), data: Fixture.float64([3])), name: "s.npy")
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.data, [3])
        let empty = try NPY.decode(Fixture.file(header: Fixture.dict("<f8", "(0, 5)"), data: []), name: "e.npy")
        XCTAssertEqual(empty.shape, [0, 5])
        XCTAssertEqual(empty.data, [])
    }

    /// numpy pads its headers further so that the first axis can grow in place, and an
    /// unaligned header is still a valid file; neither may confuse the reader.
    func testHeaderPaddingAndSpellingVariants() throws {
        let numpyStyle = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }" + String(repeating: " ", count: 60) + "\n"
        let a = Fixture.file(header: numpyStyle, data: Fixture.float64([1, 2]), pad: false)
        XCTAssertEqual(try NPY.decode(a, name: "a.npy").data, [1, 2])
        let variant = "{ \"shape\" : ( 2 , ) , \"descr\":\"<f8\",\"fortran_order\":False}"
        let b = Fixture.file(header: variant, data: Fixture.float64([3, 4]), pad: false)
        XCTAssertEqual(try NPY.decode(b, name: "b.npy").data, [3, 4])
        let python2 = Fixture.dict("<f8", "(1L, 2L)")
        XCTAssertEqual(try NPY.decode(Fixture.file(header: python2, data: Fixture.float64([5, 6])), name: "c.npy").shape, [1, 2])
    }

    func testDataIsReadAtAnUnalignedOffset() throws {
        let header = Fixture.dict("<f8", "(3,)") + "\n"
        let bytes = Fixture.file(header: header, data: Fixture.float64([1, 2, 3]), pad: false)
        XCTAssertNotEqual((10 + header.utf8.count) % 8, 0, "the fixture should be unaligned")
        XCTAssertEqual(try NPY.decode(bytes, name: "a.npy").data, [1, 2, 3])
    }
}
