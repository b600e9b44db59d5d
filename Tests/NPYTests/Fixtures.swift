import Foundation

/// Builds `.npy` bytes by hand, independently of the writer under test, so that the reader
/// can be fed exactly what numpy (or a broken writer) would produce.
enum Fixture {
    /// A file with the given header text, padded with spaces and a newline to 64 bytes.
    static func file(header: String, major: UInt8 = 1, minor: UInt8 = 0, data: [UInt8], pad: Bool = true) -> [UInt8] {
        let prefix = major == 1 ? 10 : 12
        var text = Array(header.utf8)
        if pad {
            let total = (prefix + text.count + 1 + 63) / 64 * 64
            text += [UInt8](repeating: 0x20, count: total - prefix - text.count - 1)
            text.append(0x0A)
        }
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, minor]
        let n = text.count
        out += [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF)]
        if prefix == 12 { out += [UInt8((n >> 16) & 0xFF), UInt8((n >> 24) & 0xFF)] }
        return out + text + data
    }

    static func dict(_ descr: String, _ shape: String, fortran: String = "False") -> String {
        "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
    }

    static func float64(_ values: [Double]) -> [UInt8] {
        values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt64($0))) } }
    }

    static func float32(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * UInt32($0))) } }
    }

    static func int64(_ values: [Int64]) -> [UInt8] {
        values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * Int64($0))) } }
    }

    static func int32(_ values: [Int32]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * Int32($0))) } }
    }

    /// A fresh empty directory under the system's temporary directory.
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "npy-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
