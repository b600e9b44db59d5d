/// Display width measured by the storyboard itself: the C library's `wcwidth` depends on the
/// locale, and layout must not.
///
/// Text is measured, placed, cut and wrapped glyph by glyph, a glyph being what one terminal
/// cell (or two) draws: a scalar with the combining marks, variation selectors and joined
/// scalars that follow it. These are the grapheme clusters of the text a frame shows, found by
/// reading its UTF-8 once rather than through `Character`, whose full grapheme breaking costs
/// more than the rest of a frame.
public enum DisplayWidth {
    public static func of(_ ch: Character) -> Int {
        guard let scalar = ch.unicodeScalars.first else { return 0 }
        if isMark(scalar.value) { return 0 }
        return width(scalar.value)
    }

    public static func of(_ s: String) -> Int {
        var total = 0
        forEachGlyph(s) { glyph, _ in
            total += glyph.width
            return true
        }
        return total
    }

    /// The columns a scalar takes when it starts a glyph.
    static func width(_ v: UInt32) -> Int {
        // Most cells are ASCII: answer them before asking for Unicode properties.
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 { return 0 }
        // Then the narrow symbols every frame draws — Latin-1 (`·` `×`), dashes and `…`, arrows,
        // rules and tiles (`─` `┼` `▶`) — without asking for Unicode properties either.
        if v < 0x300 || (0x2010...0x2027).contains(v) || (0x2190...0x21FF).contains(v) || (0x2500...0x25FF).contains(v) {
            return 1
        }
        if v == 0x200B { return 0 }
        return isWide(v) ? 2 : 1
    }

    /// East Asian Wide and Fullwidth ranges (the ones Japanese text uses, and emoji).
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF,
             0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Whether a scalar joins the glyph before it: a combining mark, a variation selector, a
    /// zero-width joiner or an emoji skin tone.
    static func isMark(_ v: UInt32) -> Bool {
        if v < 0x300 { return false }
        // Kana and kanji, the bulk of Japanese text, are never marks (the voicing marks
        // U+3099–U+309A, just below the kana, are).
        if (0x30A0...0x30FF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0x3041...0x3096).contains(v) { return false }
        if v == 0x200D || (0x1F3FB...0x1F3FF).contains(v) { return true }
        guard let scalar = Unicode.Scalar(v) else { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: return true
        default: return false
        }
    }

    /// Control characters (a newline, a tab, a zero-width space) stand alone: nothing joins them.
    static func isControl(_ v: UInt32) -> Bool {
        v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x200B || v == 0x2028 || v == 0x2029 || v == 0xFEFF
    }

    /// One glyph of a text: its UTF-8 is `bytes[start..<end]`, and it takes `width` columns (0
    /// for a control character or a mark with nothing before it).
    struct Glyph {
        var start: Int
        var end: Int
        var width: Int
        /// Its first scalar.
        var scalar: UInt32
        /// Whether the glyph is a mark that closes a phrase, which a line must not start with.
        var isClosing: Bool { isBare && TextWrap.closing.contains(scalar) }
        /// Whether the glyph is its first scalar alone, with no mark after it.
        var isBare: Bool {
            end - start == (scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4)
        }
    }

    /// Calls `body` with each glyph of `text` and the text's UTF-8, until `body` returns false.
    static func forEachGlyph(_ text: String, _ body: (Glyph, UnsafeBufferPointer<UInt8>) -> Bool) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { forEachGlyph(in: $0, body) }
        if done == nil { Array(text.utf8).withUnsafeBufferPointer { forEachGlyph(in: $0, body) } }
    }

    private static func forEachGlyph(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Glyph, UnsafeBufferPointer<UInt8>) -> Bool) {
        var pending: Glyph?
        var joined = false
        var i = 0
        while i < bytes.count {
            let (v, n) = decode(bytes, at: i)
            if let g = pending, !isControl(g.scalar), joined || isMark(v) {
                // A mark, a selector or a joined scalar belongs to the glyph before it.
                pending!.end = i + n
            } else {
                if let g = pending, !body(g, bytes) { return }
                pending = Glyph(start: i, end: i + n, width: isMark(v) ? 0 : width(v), scalar: v)
            }
            joined = v == 0x200D
            i += n
        }
        if let g = pending { _ = body(g, bytes) }
    }

    /// The scalar whose UTF-8 starts at `i` and its length; a malformed byte stands for itself.
    private static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let lead = UInt32(b[i])
        if lead < 0x80 { return (lead, 1) }
        let n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard n > 1, i + n <= b.count else { return (0xFFFD, 1) }
        var v = lead & (0xFF >> UInt32(n + 1))
        for k in 1..<n { v = v << 6 | (UInt32(b[i + k]) & 0x3F) }
        return (v, n)
    }

    /// The glyph's UTF-8 as a cell keeps it: whole scalars, as many as eight bytes hold.
    static func packed(_ g: Glyph, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var packed: UInt64 = 0
        var i = g.start
        while i < g.end {
            let lead = bytes[i]
            let n = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if i - g.start + n > 8 || i + n > g.end { break }
            for k in 0..<n { packed |= UInt64(bytes[i + k]) << (8 * UInt64(i + k - g.start)) }
            i += n
        }
        return packed
    }

    /// Lays `text` out from `column`, never past `limit` and never splitting a wide character:
    /// `set` receives each cell (a wide character's right half as `Cell.continuation`).
    /// Returns the column after the last character placed.
    static func place(_ text: String, from column: Int, limit: Int, role: Role = .plain, bold: Bool = false,
                      _ set: (Int, Cell) -> Void) -> Int {
        var x = column
        forEachGlyph(text) { g, bytes in
            let w = g.width
            if w == 0 { return true }
            if x + w > limit { return false }
            if x >= 0 {
                set(x, Cell(utf8: packed(g, bytes), role: role, bold: bold))
                if w == 2 { set(x + 1, .continuation) }
            }
            x += w
            return true
        }
        return x
    }

    /// Cuts `s` to at most `width` columns, ending with `…` when something was cut.
    public static func truncate(_ s: String, to width: Int) -> String {
        guard width > 0 else { return of(s) <= width ? s : "" }
        var kept = 0, used = 0, total = 0
        forEachGlyph(s) { g, _ in
            total += g.width
            if used + g.width <= width - 1, total == used + g.width {
                used += g.width
                kept = g.end
            }
            return true
        }
        if total <= width { return s }
        return String(decoding: s.utf8.prefix(kept), as: UTF8.self) + "…"
    }
}
