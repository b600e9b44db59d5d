import Engine

/// numpy's `.npy` format, in memory: bytes in, `Tensor` out, and back.
///
/// Reads versions 1.0, 2.0 and 3.0 of little-endian float64, float32, int64 and int32 arrays
/// in C order, widening every element to `Double`. Writes float64, version 1.0 unless the
/// header is too long for it. Everything else is refused with an `NPYError` whose sentence
/// names the file and what was found.
public enum NPY {
    /// The default largest element count accepted when reading.
    public static var maxElements: Int { Limits.maxElements }

    /// Decodes a whole `.npy` file held in memory.
    ///
    /// - Parameters:
    ///   - name: how to call the file in a refusal (usually the path the user typed).
    ///   - maxElements: the largest element count accepted; checked before allocating.
    public static func decode(_ bytes: [UInt8], name: String, maxElements: Int = NPY.maxElements) throws(NPYError) -> Tensor {
        let header = try NPYHeader.parse(bytes, name: name, maxElements: maxElements)
        let size = header.dtype.size
        let (expected, overflow) = header.count.multipliedReportingOverflow(by: size)
        let present = bytes.count - header.dataOffset
        guard !overflow, expected == present else {
            let what = "\(shapeText(header.shape)) of \(header.dtype.rawValue), \(expected) bytes of data"
            let verdict = present < expected ? "the file is truncated" : "the file is longer than its header says"
            throw NPYError("\(name)'s header describes shape \(what), but the file holds \(present) bytes after the header, so \(verdict).")
        }
        var values = [Double](repeating: 0, count: header.count)
        bytes.withUnsafeBytes { raw in
            let base = header.dataOffset
            // Each element is assembled from little-endian bytes, so the result does not
            // depend on the host's byte order; loadUnaligned because 64-byte alignment of
            // the data is a convention writers may not follow.
            switch header.dtype {
            case .float64:
                for k in 0..<header.count {
                    let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8 * k, as: UInt64.self))
                    values[k] = Double(bitPattern: bits)
                }
            case .float32:
                for k in 0..<header.count {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 * k, as: UInt32.self))
                    values[k] = Double(Float(bitPattern: bits))
                }
            case .int64:
                for k in 0..<header.count {
                    values[k] = Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8 * k, as: Int64.self)))
                }
            case .int32:
                for k in 0..<header.count {
                    values[k] = Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 * k, as: Int32.self)))
                }
            }
        }
        return Tensor(shape: header.shape, data: values)
    }

    /// The header text for a float64 C-order array of `shape`, as numpy's `repr` writes it.
    static func headerDictionary(shape: [Int]) -> String {
        "{'descr': '<f8', 'fortran_order': False, 'shape': \(shapeText(shape)), }"
    }

    /// Encodes `tensor` as a float64 `.npy` file.
    ///
    /// The header is padded with spaces and ended with a newline so that the data starts
    /// at a multiple of 64 bytes, which lets readers map the data aligned.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let dict = Array(headerDictionary(shape: tensor.shape).utf8)
        // Version 1 stores the header length in 16 bits; only absurdly long shapes need 2.
        var version: UInt8 = 1
        var prefix = 10
        var total = paddedLength(prefix + dict.count + 1)
        if total - prefix > Int(UInt16.max) {
            version = 2
            prefix = 12
            total = paddedLength(prefix + dict.count + 1)
        }
        let headerLength = total - prefix
        var out: [UInt8] = []
        out.reserveCapacity(total + 8 * tensor.count)
        out += NPYHeader.magic
        out += [version, 0]
        for k in 0..<(prefix - 8) { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * k))) }
        out += dict
        out += [UInt8](repeating: 0x20, count: total - out.count - 1)
        out.append(0x0A)
        for v in tensor.data {
            let bits = v.bitPattern
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
        }
        return out
    }

    private static func paddedLength(_ n: Int) -> Int { (n + 63) / 64 * 64 }
}
