import Engine

/// How a lesson gives the values of a tensor.
enum ValueSpec: Equatable {
    /// Numbers written out, row-major.
    case list([Double])
    /// `first..last`, counting by one (down when `last < first`).
    case ramp(first: Int, last: Int)
    case zeros, ones
    /// Whole numbers drawn uniformly from `low...high` by a generator seeded with `seed`.
    case random(seed: UInt64, low: Int, high: Int)
    /// A `.npy` file next to the lesson.
    case file(String)
}

/// Readers for the kinds of values keys take. Each reports what is wrong, at the column of
/// the offending item, and returns nil.
enum Values {
    static func integer(_ item: Located, name: String, range: ClosedRange<Int>, _ d: inout Diagnostics) -> Int? {
        guard let n = Int(item.text) else {
            d.add(item.line, item.column, "`\(name)` takes a whole number, not `\(item.text)`; write for example `\(range.lowerBound)`")
            return nil
        }
        guard range.contains(n) else {
            d.add(item.line, item.column, "`\(name)` is \(n), outside the limits \(range.lowerBound)…\(range.upperBound); write a number in that range")
            return nil
        }
        return n
    }

    static func number(_ item: Located, name: String, _ d: inout Diagnostics) -> Double? {
        guard let x = Double(item.text), x.isFinite else {
            d.add(item.line, item.column, "`\(name)` takes numbers such as `1`, `-0.5` or `2e-3`, not `\(item.text)`")
            return nil
        }
        guard abs(x) <= LessonLimits.maxMagnitude else {
            d.add(item.line, item.column, "`\(item.text)` is too large for `\(name)`: lesson values stay within ±\(Int(LessonLimits.maxMagnitude)) so that cells can be read")
            return nil
        }
        return x
    }

    /// One number for both directions, or `vertical,horizontal`.
    static func pair(_ value: Located, name: String, range: ClosedRange<Int>, _ d: inout Diagnostics) -> Pair? {
        let items = splitItems(value.text, line: value.line, column: value.column)
        guard items.count == 1 || items.count == 2 else {
            d.add(value.line, value.column, "`\(name)` takes one number or two (`vertical,horizontal`), for example `\(name): 1` or `\(name): 2,1`; found \(items.count) items")
            return nil
        }
        let numbers = items.compactMap { integer($0, name: name, range: range, &d) }
        guard numbers.count == items.count else { return nil }
        return numbers.count == 1 ? Pair(numbers[0]) : Pair(numbers[0], numbers[1])
    }

    /// `B,C,H,W` (or `H,W` for one image of one channel).
    static func shape(_ value: Located, name: String, _ d: inout Diagnostics) -> [Int]? {
        let items = splitItems(value.text, line: value.line, column: value.column)
        guard items.count == 4 || items.count == 2 else {
            let example = name.hasPrefix("w") ? "M,C,FH,FW such as `1,1,2,2`" : "B,C,H,W such as `1,1,4,4`"
            d.add(value.line, value.column, "`\(name)` takes four numbers \(example) (or two, `H,W`); found \(items.count)")
            return nil
        }
        let numbers = items.compactMap { integer($0, name: name, range: 1...Int(Int32.max), &d) }
        guard numbers.count == items.count else { return nil }
        return numbers.count == 2 ? [1, 1] + numbers : numbers
    }

    /// `name` or `name(key=value, …)`: the optimizer's and the random generator's syntax.
    static func call(_ value: Located) -> (name: String, arguments: [(key: String, value: Located)])? {
        let text = value.text
        guard let open = text.firstIndex(of: "(") else {
            return text.allSatisfy({ $0.isLetter }) ? (text.lowercased(), []) : nil
        }
        guard text.last == ")" else { return nil }
        let name = String(text[..<open]).trimmedSpaces.lowercased()
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var arguments: [(String, Located)] = []
        var column = value.column + text.distance(from: text.startIndex, to: open) + 1
        for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
            let piece = String(part)
            defer { column += piece.count + 1 }
            guard let eq = piece.firstIndex(of: "=") else {
                if piece.trimmedSpaces.isEmpty && inner.trimmedSpaces.isEmpty { continue }
                return nil
            }
            let key = String(piece[..<eq]).trimmedSpaces.lowercased()
            let rest = String(piece[piece.index(after: eq)...])
            let at = column + piece.distance(from: piece.startIndex, to: eq) + 1 + rest.leadingSpaceCount
            arguments.append((key, Located(text: rest.trimmedSpaces, line: value.line, column: at)))
        }
        return (name, arguments)
    }

    /// A tensor's values: a list, a ramp, `zeros`/`ones`, `random(seed=…)` or a `.npy` file.
    static func spec(_ value: Located, name: String, _ d: inout Diagnostics) -> ValueSpec? {
        let text = value.text
        let lower = text.lowercased()
        if lower == "zeros" { return .zeros }
        if lower == "ones" { return .ones }
        if lower.hasSuffix(".npy") {
            return safeRelativePath(value, _: &d).map { .file($0) }
        }
        if lower.hasPrefix("random") {
            guard let c = call(value), c.name == "random" else {
                d.add(value.line, value.column, "write the generator as `random(seed=7)` or `random(seed=7, low=-3, high=3)`")
                return nil
            }
            var seed: Int?, low = -3, high = 3
            var ok = true
            for (key, arg) in c.arguments {
                switch key {
                case "seed": seed = integer(arg, name: "seed", range: 0...Int(Int32.max), &d)
                    ok = ok && seed != nil
                case "low": if let v = integer(arg, name: "low", range: -1000...1000, &d) { low = v } else { ok = false }
                case "high": if let v = integer(arg, name: "high", range: -1000...1000, &d) { high = v } else { ok = false }
                default:
                    let near = Suggest.nearest(key, among: ["seed", "low", "high"]) ?? "seed"
                    d.add(arg.line, arg.column, "random() takes `seed`, `low` and `high`, not `\(key)`; did you mean `\(near)`?")
                    ok = false
                }
            }
            guard ok else { return nil }
            guard let s = seed else {
                d.add(value.line, value.column, "random() needs a seed so that every student sees the same numbers: write `random(seed=7)`")
                return nil
            }
            guard low <= high else {
                d.add(value.line, value.column, "random() has low \(low) above high \(high); swap them")
                return nil
            }
            return .random(seed: UInt64(s), low: low, high: high)
        }
        if let dots = text.range(of: "..") {
            let a = Located(text: String(text[..<dots.lowerBound]).trimmedSpaces, line: value.line, column: value.column)
            let bText = String(text[dots.upperBound...])
            let b = Located(text: bText.trimmedSpaces, line: value.line,
                            column: value.column + text.distance(from: text.startIndex, to: dots.upperBound) + bText.leadingSpaceCount)
            let range = -Int(LessonLimits.maxMagnitude)...Int(LessonLimits.maxMagnitude)
            guard let first = integer(a, name: "\(name) ramp start", range: range, &d),
                  let last = integer(b, name: "\(name) ramp end", range: range, &d) else { return nil }
            return .ramp(first: first, last: last)
        }
        let items = splitItems(text, line: value.line, column: value.column)
        let numbers = items.compactMap { number($0, name: name, &d) }
        guard numbers.count == items.count, !numbers.isEmpty else { return nil }
        return .list(numbers)
    }

    /// Accepts only a plain relative path inside the lesson's folder: nothing absolute, no
    /// `..`, no home directory, no hidden tricks with backslashes.
    static func safeRelativePath(_ value: Located, _ d: inout Diagnostics) -> String? {
        let path = value.text
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.hasPrefix("/") || path.hasPrefix("~") || path.contains("\\") || path.contains(":")
            || parts.contains("..") || parts.contains("") {
            d.add(value.line, value.column, "`\(path)` leaves the lesson's folder: name a `.npy` file next to the lesson or below it, such as `x.npy` or `data/x.npy`")
            return nil
        }
        return path
    }

    /// Cell names for the symbols view: short words separated by spaces or commas.
    static func symbols(_ value: Located, name: String, _ d: inout Diagnostics) -> [String]? {
        let items = splitItems(value.text, line: value.line, column: value.column)
        var ok = true
        for item in items where item.text.count > LessonLimits.maxSymbolLength {
            d.add(item.line, item.column, "the symbol `\(item.text)` is longer than \(LessonLimits.maxSymbolLength) characters; use a shorter name so that it fits in a cell")
            ok = false
        }
        return ok ? items.map(\.text) : nil
    }
}
