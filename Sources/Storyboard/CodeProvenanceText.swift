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
            guard let note = ja ? line.noteJa ?? line.note : line.note else { return nil }
            return ja ? "記事のコードそのままです。" + note + "。" : "The article's own line; " + note + "."
        case .adapted(let article, let change):
            return ja ? "記事の行 \(article) を変更: " + (line.reasonJa ?? change) + "。"
                : "Adapted from the article's \(article): " + change + "."
        case .added(let why):
            return ja ? "記事にない行: " + (line.reasonJa ?? why) + "。" : "Not in the article: " + why + "."
        }
    }
}
