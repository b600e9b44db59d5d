import Engine
/// The preamble of a `.npy` file: everything before the first data byte, checked.
///
/// Layout (numpy's documented format): the six bytes `\x93NUMPY`, a major and a minor
/// version byte, the header length (2 bytes little-endian in version 1, 4 bytes in versions
/// 2 and 3), then the header text: a Python dictionary literal with exactly the keys
/// `descr`, `fortran_order` and `shape`, padded with spaces and ended by a newline.
public struct NPYHeader: Sendable, Equatable {
    /// The format version as (major, minor).
    public var version: (major: UInt8, minor: UInt8)
    public var dtype: NPYDType
    public var shape: [Int]
    /// Where the data starts in the file.
    public var dataOffset: Int
    /// How many elements `shape` holds, already checked against the limit.
    public var count: Int

    public static func == (a: NPYHeader, b: NPYHeader) -> Bool {
        a.version == b.version && a.dtype == b.dtype && a.shape == b.shape
            && a.dataOffset == b.dataOffset && a.count == b.count
    }

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Reads and checks the preamble of `bytes`.
    ///
    /// - Parameters:
    ///   - name: how to call the file in a refusal (usually the path the user typed).
    ///   - maxElements: the largest element count accepted, checked before anything is allocated.
    public static func parse(_ bytes: [UInt8], name: String, maxElements: Int) throws(NPYError) -> NPYHeader {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            if bytes.isEmpty { throw NPYError("\(name) is empty, not a .npy file.") }
            if magic.starts(with: bytes) {
                throw NPYError("\(name) is truncated: it ends after \(bytes.count) bytes, inside the magic string \\x93NUMPY.")
            }
            let head = bytes.prefix(6).map { hex($0) }.joined(separator: " ")
            throw NPYError("\(name) is not a .npy file: it starts with the bytes \(head), not the magic string \\x93NUMPY.")
        }
        guard bytes.count >= 8 else {
            throw NPYError("\(name) is truncated: it ends after \(bytes.count) bytes, before the format version.")
        }
        let major = bytes[6], minor = bytes[7]
        let lengthBytes: Int
        switch (major, minor) {
        case (1, 0): lengthBytes = 2
        case (2, 0), (3, 0): lengthBytes = 4
        default:
            throw NPYError("\(name) is .npy format version \(major).\(minor); tatami reads versions 1.0, 2.0 and 3.0.")
        }
        let start = 8 + lengthBytes
        guard bytes.count >= start else {
            throw NPYError("\(name) is truncated: it ends after \(bytes.count) bytes, before the header length.")
        }
        var headerLength = 0
        for k in 0..<lengthBytes { headerLength |= Int(bytes[8 + k]) << (8 * k) }
        guard bytes.count - start >= headerLength else {
            throw NPYError("\(name) is truncated: its header should be \(headerLength) bytes long but the file ends after \(bytes.count - start) of them.")
        }
        let text = Array(bytes[start..<start + headerLength])
        let (dtype, shape) = try dictionary(text, name: name)
        let count = try elementCount(shape, name: name, maxElements: maxElements)
        return NPYHeader(version: (major, minor), dtype: dtype, shape: shape,
                         dataOffset: start + headerLength, count: count)
    }

    /// Checks the three keys numpy requires and turns them into a type and a shape.
    private static func dictionary(_ text: [UInt8], name: String) throws(NPYError) -> (NPYDType, [Int]) {
        let items: [(key: String, value: PyValue)]
        do {
            items = try HeaderParser.parseDictionary(text)
        } catch {
            throw NPYError("\(name) has a malformed header: expected \(error.expected) at character \(error.offset + 1) of \(quoted(text)).")
        }
        var byKey: [String: PyValue] = [:]
        for (key, value) in items {
            guard byKey[key] == nil else {
                throw NPYError("\(name) has a malformed header: the key '\(key)' appears twice in \(quoted(text)).")
            }
            byKey[key] = value
        }
        let keys = byKey.keys.sorted()
        guard keys == ["descr", "fortran_order", "shape"] else {
            let found = keys.isEmpty ? "no keys" : "the keys " + keys.map { "'\($0)'" }.joined(separator: ", ")
            throw NPYError("\(name) has a malformed header: it should have exactly the keys 'descr', 'fortran_order' and 'shape' but has \(found).")
        }
        guard case .bool(let fortran)? = byKey["fortran_order"] else {
            throw NPYError("\(name) has a malformed header: 'fortran_order' should be True or False in \(quoted(text)).")
        }
        guard case .string(let descr)? = byKey["descr"] else {
            throw NPYError("\(name) holds a structured (record) dtype, which tatami does not read; save a plain float64 array.")
        }
        let dtype = try dataType(descr, name: name)
        // Checked after the type: a big-endian Fortran-order file is refused for its type first.
        guard !fortran else {
            throw NPYError("\(name) is stored in Fortran order (fortran_order: True); save it in C order, e.g. np.save(path, np.ascontiguousarray(x)).")
        }
        guard case .tuple(let dims)? = byKey["shape"] else {
            throw NPYError("\(name) has a malformed header: 'shape' should be a tuple of integers in \(quoted(text)).")
        }
        var shape: [Int] = []
        for d in dims {
            guard case .int(let n) = d else {
                throw NPYError("\(name) has a malformed header: 'shape' should be a tuple of integers in \(quoted(text)).")
            }
            guard let n else {
                throw NPYError("\(name) has a size in its shape too large to count in \(quoted(text)).")
            }
            shape.append(n)
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw NPYError("\(name) has a negative size in its shape \(shapeText(shape)).")
        }
        return (dtype, shape)
    }

    /// Maps a numpy type string to a supported type, or says in words what it is.
    static func dataType(_ descr: String, name: String) throws(NPYError) -> NPYDType {
        var order: Character = "|"
        var rest = Substring(descr)
        if let first = rest.first, "<>|=".contains(first) {
            order = first
            rest = rest.dropFirst()
        }
        let kind: NPYDType? = switch rest {
        case "f8": .float64
        case "f4": .float32
        case "i8": .int64
        case "i4": .int32
        default: nil
        }
        guard let kind else {
            throw NPYError("\(name) holds \(typeName(rest)) data ('\(descr)'); tatami reads float64, float32, int64 and int32 only.")
        }
        guard order != ">" else {
            throw NPYError("\(name) holds big-endian \(kind.rawValue) data ('\(descr)'); save it little-endian, e.g. x.astype('\(kind.descr)').")
        }
        return kind
    }

    /// The element count of `shape`, refused on overflow or above the limit.
    static func elementCount(_ shape: [Int], name: String, maxElements: Int) throws(NPYError) -> Int {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else {
                throw NPYError("\(name) has shape \(shapeText(shape)), more elements than tatami's limit of \(maxElements).")
            }
            count = product
        }
        guard count <= maxElements else {
            throw NPYError("\(name) has shape \(shapeText(shape)), \(count) elements, more than tatami's limit of \(maxElements).")
        }
        return count
    }
}

/// A short, printable rendering of header bytes for an error sentence.
private func quoted(_ text: [UInt8]) -> String {
    var trimmed = text
    while let last = trimmed.last, last == 0x20 || last == 0x0A { trimmed.removeLast() }
    var out = ""
    for b in trimmed.prefix(80) {
        out += b >= 0x20 && b < 0x7F ? String(Unicode.Scalar(b)) : "\\x" + hex(b)
    }
    if trimmed.count > 80 { out += "…" }
    return "\"" + out + "\""
}

private func hex(_ b: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
}

/// Names a numpy type string in words, for a refusal.
private func typeName(_ code: Substring) -> String {
    let names: [Substring: String] = [
        "f2": "float16", "f16": "float128", "f12": "float96",
        "i1": "int8", "i2": "int16", "u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64",
        "b1": "bool", "c8": "complex64", "c16": "complex128", "c32": "complex256", "O": "Python object",
    ]
    if let n = names[code] { return n }
    switch code.first {
    case "U": return "unicode string"
    case "S", "a": return "byte string"
    case "V": return "raw void"
    case "M": return "datetime"
    case "m": return "timedelta"
    default: return "an unknown type of"
    }
}
