/// The front matter block: `key: value` lines between two `---` lines at the top of a lesson.
///
/// It is deliberately not full YAML: one flat key per line, so that every value has an exact
/// line and column for messages, and a lesson can never express anything but settings.
/// Lessons written this way still read as YAML, so code hosts show the block as a table.
struct FrontMatter {
    struct Entry {
        var key: Located
        var value: Located
    }

    /// Every key a lesson may set, in the order the README documents them.
    static let keys: [String] = [
        "title.en", "title.ja", "summary.en", "summary.ja",
        "operation", "passes", "form", "layout",
        "stride", "pad", "dilation", "pool", "pool.mode", "routing",
        "activation", "optimizer",
        "x.shape", "x.values", "x.symbols",
        "w.shape", "w.values", "w.symbols",
        "b.values", "grad.values",
        "show",
        "view",
    ]

    private(set) var entries: [String: Entry] = [:]
    /// The line after the closing `---`, where the body begins (1-based).
    private(set) var bodyStart: Int

    /// Reads the block at the top of `lines`, reporting malformed lines, unknown and
    /// duplicate keys into `diagnostics`.
    init(lines: [String], diagnostics: inout Diagnostics) {
        bodyStart = 1
        guard let first = lines.first, first.trimmedSpaces == "---" else {
            diagnostics.add(1, 1, "a lesson starts with its front matter: write `---` on the first line, then one `key: value` per line (for example `title.en: The sliding filter`), then `---`")
            return
        }
        guard let closing = lines.indices.dropFirst().first(where: { lines[$0].trimmedSpaces == "---" }) else {
            diagnostics.add(1, 1, "the front matter is never closed: write `---` on a line of its own after the last key")
            bodyStart = lines.count + 1
            return
        }
        bodyStart = closing + 2
        for index in 1..<closing {
            read(line: lines[index], number: index + 1, diagnostics: &diagnostics)
        }
    }

    private mutating func read(line: String, number: Int, diagnostics: inout Diagnostics) {
        let trimmed = line.trimmedSpaces
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
        let indent = line.leadingSpaceCount
        let keyColumn = indent + 1
        guard let colon = trimmed.firstIndex(of: ":") else {
            diagnostics.add(number, keyColumn, "expected `key: value` here; write for example `stride: 1`, or start the line with `#` to make it a comment")
            return
        }
        let key = String(trimmed[..<colon]).trimmedSpaces
        let afterColon = String(trimmed[trimmed.index(after: colon)...])
        let valueOffset = trimmed.distance(from: trimmed.startIndex, to: colon) + 1 + afterColon.leadingSpaceCount
        var value = afterColon.trimmedSpaces
        var valueColumn = keyColumn + valueOffset
        if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
            value = String(value.dropFirst().dropLast())
            valueColumn += 1
        }
        if indent > 0 {
            diagnostics.add(number, 1, "keys are not nested: remove the spaces before `\(key)`")
            return
        }
        guard Self.keys.contains(key) else {
            let hint = Suggest.nearest(key, among: Self.keys).map { "; did you mean `\($0)`?" } ?? ""
            diagnostics.add(number, keyColumn, "unknown key `\(key)`\(hint) (Lessons/README.md lists every key)")
            return
        }
        if let earlier = entries[key] {
            diagnostics.add(number, keyColumn, "`\(key)` is already set on line \(earlier.key.line); keep one of the two lines")
            return
        }
        if value.isEmpty {
            diagnostics.add(number, keyColumn + key.count + 1, "`\(key)` needs a value after the colon")
            return
        }
        entries[key] = Entry(key: Located(text: key, line: number, column: keyColumn),
                             value: Located(text: value, line: number, column: valueColumn))
    }

    subscript(_ key: String) -> Entry? { entries[key] }
}
