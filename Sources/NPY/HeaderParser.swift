/// The few Python literals a `.npy` header dictionary is made of.
///
/// numpy writes the header with `repr` and reads it back with a restricted literal
/// evaluator, so a header may legally use either quote style, extra spaces and trailing
/// commas. Anything beyond strings, booleans, integers, tuples and lists is refused.
enum PyValue: Equatable {
    case string(String)
    case bool(Bool)
    /// `nil` when the literal does not fit in an `Int`: it can only be a size nobody can hold.
    case int(Int?)
    case tuple([PyValue])
    case list([PyValue])
    case none
}

/// A header that could not be read as a Python dictionary literal.
struct HeaderSyntaxError: Error, Equatable {
    /// What was expected, as a phrase: "':' after the key 'descr'".
    var expected: String
    /// Byte offset into the header text where the problem was seen.
    var offset: Int
}

/// A recursive-descent reader of the header text. It works on bytes so that nothing
/// non-ASCII can slip through a lenient string decoding.
struct HeaderParser {
    private let bytes: [UInt8]
    private var i = 0
    /// Nesting bound: a hostile header must not recurse the stack away.
    private var depth = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Parses the whole header as one dictionary with string keys.
    static func parseDictionary(_ bytes: [UInt8]) throws(HeaderSyntaxError) -> [(key: String, value: PyValue)] {
        var parser = HeaderParser(bytes)
        parser.skipSpace()
        let items = try parser.dictionary()
        parser.skipSpace()
        guard parser.i == bytes.count else { throw parser.fail("the end of the header after '}'") }
        return items
    }

    private mutating func dictionary() throws(HeaderSyntaxError) -> [(key: String, value: PyValue)] {
        try expect(UInt8(ascii: "{"), "'{' at the start of the header")
        var items: [(key: String, value: PyValue)] = []
        skipSpace()
        while peek() != UInt8(ascii: "}") {
            guard peek() != nil else { throw fail("'}' to close the dictionary") }
            guard peek() == UInt8(ascii: "'") || peek() == UInt8(ascii: "\""), case .string(let key) = try value() else {
                throw fail("a quoted key such as 'descr'")
            }
            skipSpace()
            try expect(UInt8(ascii: ":"), "':' after the key '\(key)'")
            skipSpace()
            let v = try value()
            items.append((key, v))
            skipSpace()
            if peek() == UInt8(ascii: ",") {
                i += 1
                skipSpace()
            } else if peek() != UInt8(ascii: "}") {
                throw fail("',' or '}' after the value of '\(key)'")
            }
        }
        i += 1
        return items
    }

    private mutating func value() throws(HeaderSyntaxError) -> PyValue {
        guard let c = peek() else { throw fail("a value") }
        switch c {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try string(quote: c))
        case UInt8(ascii: "("):
            return .tuple(try sequence(close: UInt8(ascii: ")")))
        case UInt8(ascii: "["):
            return .list(try sequence(close: UInt8(ascii: "]")))
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try integer()
        default:
            if consume("True") { return .bool(true) }
            if consume("False") { return .bool(false) }
            if consume("None") { return .none }
            throw fail("a string, True, False, a number, a tuple or a list")
        }
    }

    private mutating func sequence(close: UInt8) throws(HeaderSyntaxError) -> [PyValue] {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 8 else { throw fail("less deeply nested brackets") }
        i += 1
        var items: [PyValue] = []
        skipSpace()
        while peek() != close {
            guard peek() != nil else { throw fail("'\(Character(Unicode.Scalar(close)))' to close the \(close == UInt8(ascii: ")") ? "tuple" : "list")") }
            items.append(try value())
            skipSpace()
            if peek() == UInt8(ascii: ",") {
                i += 1
                skipSpace()
            } else if peek() != close {
                throw fail("',' or '\(Character(Unicode.Scalar(close)))'")
            }
        }
        i += 1
        return items
    }

    private mutating func string(quote: UInt8) throws(HeaderSyntaxError) -> String {
        i += 1
        var scalars = String.UnicodeScalarView()
        while let c = peek(), c != quote {
            // Escapes never occur in the keys and type strings numpy writes; refusing them
            // keeps the reader small and honest.
            guard c >= 0x20, c < 0x7F, c != UInt8(ascii: "\\") else {
                throw fail("plain ASCII characters inside the quotes")
            }
            scalars.append(Unicode.Scalar(c))
            i += 1
        }
        guard peek() == quote else { throw fail("a closing quote") }
        i += 1
        return String(scalars)
    }

    private mutating func integer() throws(HeaderSyntaxError) -> PyValue {
        var negative = false
        if peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") {
            negative = peek() == UInt8(ascii: "-")
            i += 1
        }
        let start = i
        var value: Int? = 0
        while let c = peek(), c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            if let v = value {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int(c - UInt8(ascii: "0")))
                value = o1 || o2 ? nil : s
            }
            i += 1
        }
        guard i > start else { throw fail("digits") }
        // Python 2 wrote long integers with a trailing L; old files still carry it.
        if peek() == UInt8(ascii: "L") { i += 1 }
        return .int(value.map { negative ? -$0 : $0 })
    }

    private func peek() -> UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let c = peek(), c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws(HeaderSyntaxError) {
        guard peek() == c else { throw fail(what) }
        i += 1
    }

    private mutating func consume(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return false }
        // A bare word must end here: "Falsey" is not False.
        if i + w.count < bytes.count {
            let next = bytes[i + w.count]
            if (next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z")) || (next >= UInt8(ascii: "A") && next <= UInt8(ascii: "Z"))
                || (next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9")) || next == UInt8(ascii: "_") {
                return false
            }
        }
        i += w.count
        return true
    }

    private func fail(_ expected: String) -> HeaderSyntaxError {
        HeaderSyntaxError(expected: expected, offset: i)
    }
}
