import Engine

/// What the code pane says about where each line comes from, read from the trace's code
/// provenance: a short tag on every line, and for the line in focus what was changed or why
/// it is there, so that no line passes for the article's when it is not.
enum CodeProvenanceText {
    /// `[article]`, `[adapted]` or `[added]`, in the frame's language.
    static func tag(_ line: CodeLine, _ language: Language) -> String {
        let ja = language == .ja
        switch line.provenance {
        case .article: return ja ? "[記事]" : "[article]"
        case .adapted: return ja ? "[記事を変更]" : "[adapted]"
        case .added: return ja ? "[追加]" : "[added]"
        }
    }

    /// The sentence under the code for the line in focus; `nil` for the article's own line
    /// with nothing to add.
    static func explanation(_ line: CodeLine, _ language: Language) -> String? {
        let ja = language == .ja
        switch line.provenance {
        case .article:
            guard let note = note(line, language) else { return nil }
            return ja ? "記事のコードそのままです。" + note + "。" : "The article's own line; " + note + "."
        case .adapted(let article, _):
            return ja ? "記事の行 \(article) を変更: " + reason(line, language) + "。"
                : "Adapted from the article's \(article): " + reason(line, language) + "."
        case .added:
            return ja ? "記事にない行: " + reason(line, language) + "。" : "Not in the article: " + reason(line, language) + "."
        }
    }

    /// Where the line comes from, as a reader who cannot see the pane hears it before the line:
    /// `the article's, verbatim`, `adapted from the article's …: what changed`, `added by
    /// Tatami: why`. The same words as the tag and the sentence under the code.
    static func origin(_ line: CodeLine, _ language: Language) -> String {
        let ja = language == .ja
        switch line.provenance {
        case .article:
            let verbatim = ja ? "記事のコードそのまま" : "the article's, verbatim"
            return note(line, language).map { verbatim + (ja ? "。" : "; ") + $0 } ?? verbatim
        case .adapted(let article, _):
            return ja ? "記事の行 \(article) を変更: " + reason(line, language)
                : "adapted from the article's \(article): " + reason(line, language)
        case .added:
            return ja ? "記事にない行、Tatami が追加: " + reason(line, language) : "added by Tatami: " + reason(line, language)
        }
    }

    /// What was changed, or why the line is shown, in the frame's language (empty for the
    /// article's own line).
    private static func reason(_ line: CodeLine, _ language: Language) -> String {
        switch line.provenance {
        case .article: return ""
        case .adapted(_, let change): return language == .ja ? line.reasonJa ?? change : change
        case .added(let why): return language == .ja ? line.reasonJa ?? why : why
        }
    }

    /// What a reader should know about the line beyond where it comes from.
    private static func note(_ line: CodeLine, _ language: Language) -> String? {
        language == .ja ? line.noteJa ?? line.note : line.note
    }
}
