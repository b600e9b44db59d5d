import Engine
import XCTest
@testable import NPY

/// Tens of thousands of damaged `.npy` files, mutated from valid ones of every supported type
/// and format version: each must be read as a consistent array or refused with one sentence
/// naming the file. A trap anywhere would end the test run.
final class NPYFuzzTests: XCTestCase {
    /// A fixed-seed generator (the engine's), so that a failing round can be replayed.
    typealias Dice = SplitMix64

    /// Valid files: each type, each version, shapes from a scalar to four axes.
    static func validFiles() -> [[UInt8]] {
        let shapes: [[Int]] = [[], [0], [3], [2, 3], [1, 1, 4, 4], [2, 1, 3, 2]]
        var files: [[UInt8]] = []
        for dtype in NPYDType.allCases {
            for major: UInt8 in [1, 2, 3] {
                for shape in shapes {
                    let n = shape.reduce(1, *)
                    let data: [UInt8] = switch dtype {
                    case .float64: Fixture.float64((0..<n).map { Double($0) - 1.5 })
                    case .float32: Fixture.float32((0..<n).map { Float($0) * 0.25 })
                    case .int64: Fixture.int64((0..<n).map { Int64($0) - 2 })
                    case .int32: Fixture.int32((0..<n).map { Int32($0) * 3 })
                    }
                    let header = Fixture.dict(dtype.descr, shapeText(shape))
                    files.append(Fixture.file(header: header, major: major, data: data))
                }
            }
        }
        return files
    }

    static let hostileSizes = ["-1", "-9223372036854775808", "9223372036854775807", "99999999999999999999999",
                               "1000000000", "134217729", "4294967296", "0", "1L", "+2", "2.5", "None", "()", "'3'"]
    static let hostileTypes = ["<f2", ">f8", "|u1", "<c16", "|O", "<U8", "f8", "<f8 ", "", "<<f8", "<f16", "=i4", "|b1", "<M8[s]"]

    /// Where the header text lives in a file built by `Fixture.file`.
    static func headerRange(_ file: [UInt8]) -> Range<Int> {
        let start = file[6] == 1 ? 10 : 12
        var length = Int(file[8]) | Int(file[9]) << 8
        if start == 12 { length |= Int(file[10]) << 16 | Int(file[11]) << 24 }
        return start..<min(file.count, start + length)
    }

    /// Replaces the first occurrence of `old` in the header text with `new`, keeping the
    /// declared header length honest so that the edit reaches the dictionary parser.
    static func editHeader(_ file: [UInt8], _ edit: (String) -> String) -> [UInt8] {
        guard file.count >= 12 else { return file }
        let range = headerRange(file)
        let text = String(decoding: file[range], as: UTF8.self)
        let edited = Array(edit(text).utf8)
        var out = Array(file[..<range.lowerBound]) + edited + Array(file[range.upperBound...])
        let n = edited.count
        out[8] = UInt8(truncatingIfNeeded: n)
        out[9] = UInt8(truncatingIfNeeded: n >> 8)
        if range.lowerBound == 12 {
            out[10] = UInt8(truncatingIfNeeded: n >> 16)
            out[11] = UInt8(truncatingIfNeeded: n >> 24)
        }
        return out
    }

    static func mutate(_ file: [UInt8], _ dice: inout Dice) -> [UInt8] {
        var bytes = file
        for _ in 0...dice.below(2) {
            guard !bytes.isEmpty else { break }
            switch dice.below(9) {
            case 0: // bit flips, mostly in the preamble and header where the decisions are made
                for _ in 0...dice.below(4) {
                    let i = dice.below(2) == 0 ? dice.below(min(bytes.count, 128)) : dice.below(bytes.count)
                    bytes[i] ^= 1 << UInt8(dice.below(8))
                }
            case 1: bytes = Array(bytes.prefix(dice.below(bytes.count + 1)))
            case 2:
                let at = dice.below(bytes.count + 1)
                bytes.insert(contentsOf: (0..<1 + dice.below(16)).map { _ in UInt8(truncatingIfNeeded: dice.next()) }, at: at)
            case 3: // a shape number replaced with a huge, negative or malformed one
                let size = dice.pick(hostileSizes)
                bytes = editHeader(bytes) { text in
                    guard let open = text.firstIndex(of: "("), let close = text[open...].firstIndex(of: ")") else { return text }
                    var dims = text[text.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    if dims.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { dims = [size, ""] } else {
                        let k = dice.below(dims.count)
                        if !dims[k].trimmingCharacters(in: .whitespaces).isEmpty { dims[k] = " " + size }
                    }
                    return text.replacingCharacters(in: text.index(after: open)..<close, with: dims.joined(separator: ","))
                }
            case 4: // the type string changed
                let descr = dice.pick(hostileTypes)
                bytes = editHeader(bytes) { text in
                    guard let key = text.range(of: "'descr': '"), let end = text[key.upperBound...].firstIndex(of: "'") else { return text }
                    return text.replacingCharacters(in: key.upperBound..<end, with: descr)
                }
            case 5: // fortran_order flipped, or made something that is not a boolean
                let value = dice.pick(["True", "False", "1", "None", "'False'", "Tru"])
                bytes = editHeader(bytes) { $0.replacingOccurrences(of: "False", with: value) }
            case 6: // the header length made to lie
                let at = 8 + dice.below(bytes.count > 6 && bytes[6] == 1 ? 2 : 4)
                if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: dice.next()) }
            case 7: // the version bytes
                if bytes.count > 7 { bytes[6 + dice.below(2)] = dice.pick([0, 1, 2, 3, 4, 255]) }
            default: // a key removed, doubled or renamed
                let edit = dice.pick(["'shape'", "'descr'", "'fortran_order'"])
                let replacement = dice.pick(["'shapes'", "'descr': '<f8', 'descr'", "'x'", ""])
                bytes = editHeader(bytes) { $0.replacingOccurrences(of: edit, with: replacement) }
            }
        }
        return bytes
    }

    func testMutatedFilesAreReadOrRefusedInOneSentence() {
        let files = Self.validFiles()
        var dice = Dice(state: 0x7A7A_11)
        var read = 0, refused = 0
        var messages = Set<String>()
        let rounds = 24_000
        for round in 0..<rounds {
            let bytes = Self.mutate(files[round % files.count], &dice)
            do {
                let tensor = try NPY.decode(bytes, name: "fuzz.npy")
                read += 1
                // A file that reads must be self-consistent: its data exactly fills its shape.
                XCTAssertEqual(tensor.count, tensor.shape.reduce(1, *), "round \(round)")
                XCTAssertEqual(tensor.data.count, tensor.count, "round \(round)")
                let header = try NPYHeader.parse(bytes, name: "fuzz.npy", maxElements: NPY.maxElements)
                XCTAssertEqual(bytes.count - header.dataOffset, tensor.count * header.dtype.size, "round \(round)")
            } catch {
                refused += 1
                XCTAssertTrue(error.message.hasPrefix("fuzz.npy"), "round \(round): \(error.message)")
                XCTAssertFalse(error.message.contains("\n"), "round \(round): \(error.message)")
                XCTAssertTrue(error.message.hasSuffix("."), "round \(round): \(error.message)")
                messages.insert(String(error.message.prefix(40)))
            }
        }
        XCTAssertEqual(read + refused, rounds)
        // Both outcomes, and many different refusals, or the mutations are not reaching the reader.
        XCTAssertGreaterThan(read, 200)
        XCTAssertGreaterThan(refused, rounds / 2)
        XCTAssertGreaterThan(messages.count, 20)
    }

    /// Huge claimed shapes are refused from the header alone, naming the limit, even when the
    /// file is only a few bytes long.
    func testHugeClaimsAreRefusedByTheHeaderAlone() {
        for shape in ["(1000000000,)", "(1, 1, 1000, 1000000)", "(46341, 46341, 2, 2)", "(134217729,)"] {
            let bytes = Fixture.file(header: Fixture.dict("<f8", shape), data: [])
            XCTAssertThrowsError(try NPY.decode(bytes, name: "big.npy")) { error in
                let message = (error as? NPYError)?.message ?? ""
                XCTAssertTrue(message.contains("limit of 134217728"), message)
            }
        }
    }
}

extension SplitMix64 {
    init(state: UInt64) { self.init(seed: state) }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
