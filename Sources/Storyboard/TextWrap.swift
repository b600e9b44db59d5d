/// The one rule for breaking text into lines, for every front end.
public enum TextWrap {
    /// Breaks text into lines of at most `width` columns: before a word, at a space or where
    /// the word follows Japanese, anywhere in Japanese (which has no spaces between words),
    /// never starting a line with closing punctuation. Each `\n` starts a new paragraph. The one wrapping rule of every front end.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 1 else { return [] }
        var lines: [String] = []
        // The line being filled: the bytes from `start` to `end` (a line is never empty in the
        // middle, so it is one run of the text), `w` columns wide.
        var start = 0, end = 0, w = 0
        // Where the line can last be cut before a word: at a space (dropped), or where a word
        // of narrow characters starts right after Japanese; and the width of the line before
        // the word.
        var cut: (at: Int, skip: Int, widthBefore: Int)?
        // The last glyphs added to the line (a few): a closing mark that does not fit carries
        // them to the next line.
        var recent: [DisplayWidth.Glyph] = []
        func startsWord(_ g: DisplayWidth.Glyph, after previous: DisplayWidth.Glyph?) -> Bool {
            guard let previous, previous.start >= start else { return false }
            return g.width == 1 && previous.width == 2 && !g.isClosing && !(g.scalar == 0x20 && g.isBare)
        }
        DisplayWidth.forEachGlyph(text) { g, bytes in
            func emit(_ upTo: Int) {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<max(start, upTo)]), as: UTF8.self))
            }
            if g.scalar == 0x0A {
                emit(end)
                (start, end, w, cut) = (g.end, g.end, 0, nil)
                recent.removeAll(keepingCapacity: true)
                return true
            }
            let isSpace = g.scalar == 0x20 && g.isBare
            if startsWord(g, after: recent.last) { cut = (g.start, 0, w) }
            if w + g.width > width {
                if let c = cut, g.width == 1, !isSpace {
                    emit(c.at)
                    (start, w, cut) = (c.at + c.skip, w - c.widthBefore, nil)
                } else if let l = recent.last, l.start >= start, closing.contains(g.scalar), g.isBare {
                    // Japanese never starts a line with closing punctuation: carry the
                    // character before it over as well, and the one before that while the
                    // carried one closes too (`)。`), keeping something on the line.
                    var k = recent.count - 1
                    while k > 0, recent[k].isClosing, recent[k - 1].start > start { k -= 1 }
                    let carried = recent[k...]
                    emit(carried.first!.start)
                    (start, w, cut) = (carried.first!.start, 0, nil)
                    var previous: DisplayWidth.Glyph?
                    for c in carried {
                        if c.scalar == 0x20, c.isBare { cut = (c.start, 1, w + c.width) }
                        if startsWord(c, after: previous) { cut = (c.start, 0, w) }
                        w += c.width
                        previous = c
                    }
                } else {
                    emit(end)
                    (start, end, w, cut) = (end, end, 0, nil)
                    recent.removeAll(keepingCapacity: true)
                    // A space where the line breaks is dropped.
                    if isSpace {
                        (start, end) = (g.end, g.end)
                        return true
                    }
                }
            }
            end = g.end
            w += g.width
            if isSpace { cut = (g.start, 1, w) }
            if recent.count == 4 { recent.removeFirst() }
            recent.append(g)
            return true
        }
        lines.append(String(decoding: text.utf8.dropFirst(start).prefix(max(0, end - start)), as: UTF8.self))
        return lines
    }

    /// Marks that close a phrase or a sentence.
    static let closing: Set<UInt32> = Set("。、，．）」』】！？：；ー),.:;!?]}".unicodeScalars.map(\.value))
}
