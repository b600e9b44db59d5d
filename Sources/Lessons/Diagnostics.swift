/// Collects every problem of one lesson file, so that a teacher sees all of them at once.
struct Diagnostics {
    let file: String
    private(set) var problems: [LessonProblem] = []

    init(file: String) { self.file = file }

    mutating func add(_ line: Int, _ column: Int, _ message: String) {
        problems.append(LessonProblem(file: file, line: line, column: max(1, column), message: message))
    }

    var isEmpty: Bool { problems.isEmpty }

    /// Problems in file order, which is the order an editor jumps through them.
    var sorted: [LessonProblem] {
        problems.enumerated().sorted { a, b in
            (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
        }.map(\.element)
    }
}

/// A piece of a line with the 1-based column it starts at.
struct Located: Equatable {
    var text: String
    var line: Int
    var column: Int
}

enum Suggest {
    /// The candidate closest to `word` by edit distance (ties go to the first listed).
    static func nearest(_ word: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(word.lowercased(), candidate.lowercased())
            if best == nil || d < best!.1 { best = (candidate, d) }
        }
        return best?.0
    }

    /// Levenshtein distance, over characters. Inputs are short (keys and phase names), and
    /// long garbage is cut first so that a pathological line cannot make this slow.
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.prefix(64)), y = Array(b.prefix(64))
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = previous
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}

extension String {
    /// The text without spaces and tabs at either end.
    var trimmedSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }

    /// How many spaces and tabs the text starts with.
    var leadingSpaceCount: Int { prefix { $0 == " " || $0 == "\t" }.count }
}

/// Splits `text` (found at `column`) into items separated by commas and/or spaces, after
/// removing one pair of surrounding brackets or parentheses, keeping each item's column.
func splitItems(_ text: String, line: Int, column: Int) -> [Located] {
    var chars = Array(text)
    var offset = 0
    if let first = chars.first, let last = chars.last, chars.count >= 2,
       (first == "[" && last == "]") || (first == "(" && last == ")") {
        chars = Array(chars[1..<(chars.count - 1)])
        offset = 1
    }
    var items: [Located] = []
    var current = ""
    var start = 0
    for (i, c) in chars.enumerated() {
        if c == "," || c == " " || c == "\t" {
            if !current.isEmpty { items.append(Located(text: current, line: line, column: column + offset + start)) }
            current = ""
        } else {
            if current.isEmpty { start = i }
            current.append(c)
        }
    }
    if !current.isEmpty { items.append(Located(text: current, line: line, column: column + offset + start)) }
    return items
}
