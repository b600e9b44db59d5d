import Engine

/// The Markdown body: `## phase` sections holding `en:`/`ja:` narration, `### step N`
/// subsections, and questions (`? en:` … `> en:` …).
struct Body {
    private struct Target {
        var phase: PhaseRef
        var step: Int?
        var line: Int
        var en: (text: String, line: Int)?
        var ja: (text: String, line: Int)?
    }

    private struct PendingQuestion {
        var line: Int
        var prompt: [String: String] = [:]
        var answer: [String: String] = [:]
        var hasAnswer: Bool { !answer.isEmpty }
        var expected: (spec: AnswerSpec, line: Int, column: Int)?
        /// `choices.en:` / `choices.ja:`: the choices and the line they are on.
        var choices: [String: (list: [String], line: Int)] = [:]
        /// A `choices` line could not be read (and was reported).
        var choicesBroken = false
    }

    private enum Block {
        case narration(String), prompt(String), answer(String), ignored, comment
    }

    private(set) var notes: [Note] = []
    private(set) var questions: [Question] = []
    /// The line of each phase section's heading, for messages that concern the whole section.
    private(set) var sections: [PhaseRef: Int] = [:]

    private var target: Target?
    /// The phase of the current `##` section, kept while a broken `###` heading is skipped.
    private var currentPhase: PhaseRef?
    private var question: PendingQuestion?
    /// Inside a section whose heading could not be read: its text is skipped quietly, since
    /// the heading already carries the error.
    private var inBrokenSection = false
    private var block: Block?
    private var steps: Set<Int> = []

    init(lines: [String], from start: Int, diagnostics d: inout Diagnostics) {
        var index = start - 1
        while index < lines.count {
            readLine(lines[index], number: index + 1, &d)
            index += 1
        }
        closeTarget(&d)
    }

    private mutating func readLine(_ raw: String, number: Int, _ d: inout Diagnostics) {
        let line = raw.trimmedSpaces
        if case .comment? = block {
            if line.contains("-->") { block = nil }
            return
        }
        if line.isEmpty {
            block = nil
            return
        }
        if line.hasPrefix("<!--") {
            block = line.contains("-->") ? nil : .comment
            return
        }
        if line.hasPrefix("#") {
            block = nil
            heading(line, number: number, indent: raw.leadingSpaceCount, &d)
            return
        }
        guard target != nil || inBrokenSection else { return } // text before the first section
        if inBrokenSection { block = .ignored; return }
        let lower = line.lowercased()
        for key in ["answer:", "choices.en:", "choices.ja:"] where lower.hasPrefix(key) {
            answerKeyLine(key, value: String(line.dropFirst(key.count)), number: number,
                          column: raw.leadingSpaceCount + key.count + 1, &d)
            return
        }
        for (prefix, make) in [("? ", Block.prompt), ("> ", Block.answer)] as [(String, (String) -> Block)] {
            if line.hasPrefix(prefix), let lang = language(of: String(line.dropFirst(2)).trimmedSpaces) {
                let text = String(String(line.dropFirst(2)).trimmedSpaces.dropFirst(3)).trimmedSpaces
                open(make(lang), text: text, number: number, &d)
                return
            }
        }
        if let lang = language(of: line) {
            open(.narration(lang), text: String(line.dropFirst(3)).trimmedSpaces, number: number, &d)
            return
        }
        switch block {
        case .narration(let lang)?: append(line, to: .narration(lang))
        case .prompt(let lang)?: append(line, to: .prompt(lang))
        case .answer(let lang)?:
            append(line.hasPrefix(">") ? String(line.dropFirst()).trimmedSpaces : line, to: .answer(lang))
        case .ignored?: break
        default:
            let hint = line.hasPrefix("?") || line.hasPrefix(">")
                ? "name the language after the mark: `? en: …`, `? ja: …`, `> en: …`, `> ja: …`"
                : "start the paragraph with `en:` or `ja:` for narration, `? en:` for a question or `> en:` for its answer, or wrap it in `<!-- -->` to keep it as a note to yourself"
            d.add(number, raw.leadingSpaceCount + 1, "the player does not show this text: \(hint)")
            block = .ignored
        }
    }

    /// `en:` or `ja:` at the start of `text` (the colon may be full-width, as Japanese
    /// keyboards type it).
    private func language(of text: String) -> String? {
        let lower = text.lowercased()
        for lang in ["en", "ja"] where lower.hasPrefix(lang + ":") || lower.hasPrefix(lang + "：") {
            return lang
        }
        return nil
    }

    private mutating func open(_ kind: Block, text: String, number: Int, _ d: inout Diagnostics) {
        block = kind
        switch kind {
        case .narration(let lang):
            let existing = lang == "en" ? target?.en : target?.ja
            if let existing {
                d.add(number, 1, "this \(where_) already has `\(lang):` narration on line \(existing.line); join the two paragraphs into one")
                block = .ignored
                return
            }
            if lang == "en" { target?.en = (text, number) } else { target?.ja = (text, number) }
        case .prompt(let lang):
            if let q = question, q.prompt[lang] == nil, !q.hasAnswer {
                question?.prompt[lang] = text
            } else {
                closeQuestion(&d)
                question = PendingQuestion(line: number, prompt: [lang: text])
            }
        case .answer(let lang):
            guard question != nil else {
                d.add(number, 1, "an answer needs its question before it: write `? en: …` and `? ja: …` first")
                block = .ignored
                return
            }
            if question?.answer[lang] != nil {
                d.add(number, 1, "this question already has a `> \(lang):` answer; join the two into one paragraph")
                block = .ignored
                return
            }
            question?.answer[lang] = text
        case .ignored, .comment: break
        }
    }

    /// `answer: …`, `choices.en: …` or `choices.ja: …`, right after a question's prompts.
    private mutating func answerKeyLine(_ key: String, value: String, number: Int, column: Int, _ d: inout Diagnostics) {
        block = nil
        guard question != nil, question?.hasAnswer == false else {
            d.add(number, 1, "`\(key)` belongs to a question: put it right after the question's `? ja:` line, before its `> en:` answer")
            return
        }
        if key == "answer:" {
            if let earlier = question?.expected {
                d.add(number, 1, "this question already has an `answer:` line on line \(earlier.line); keep one")
                return
            }
            switch AnswerSpec.parse(value) {
            case .success(let spec):
                let lead = value.prefix { $0 == " " }.count
                question?.expected = (spec, number, column + lead)
            case .failure(let e):
                d.add(number, column + e.offset, e.message)
            }
            return
        }
        let lang = String(key.dropFirst("choices.".count).dropLast())
        if let earlier = question?.choices[lang] {
            d.add(number, 1, "this question already lists its `\(key)` on line \(earlier.line); keep one line")
            return
        }
        let list = value.split(separator: "|").map { String($0).trimmedSpaces }
        guard list.count >= 2, !list.contains(where: \.isEmpty) else {
            d.add(number, column, "list two or more choices separated by `|`, such as `\(key) adds | overwrites | averages`")
            question?.choicesBroken = true
            return
        }
        question?.choices[lang] = (list, number)
    }

    private var where_: String { target?.step.map { "step \($0)" } ?? "section" }

    private mutating func append(_ line: String, to kind: Block) {
        func join(_ a: String) -> String {
            guard let last = a.last, let first = line.first else { return a + line }
            // Japanese wraps without spaces; English wraps at one.
            return (last.isASCII && first.isASCII) ? a + " " + line : a + line
        }
        switch kind {
        case .narration("en"): if let t = target?.en { target?.en = (join(t.text), t.line) }
        case .narration: if let t = target?.ja { target?.ja = (join(t.text), t.line) }
        case .prompt(let lang): if let t = question?.prompt[lang] { question?.prompt[lang] = join(t) }
        case .answer(let lang): if let t = question?.answer[lang] { question?.answer[lang] = join(t) }
        default: break
        }
    }

    private mutating func heading(_ line: String, number: Int, indent: Int, _ d: inout Diagnostics) {
        let level = line.prefix { $0 == "#" }.count
        let title = String(line.dropFirst(level)).trimmedSpaces
        switch level {
        case 1:
            closeTarget(&d)
            currentPhase = nil
            inBrokenSection = false
        case 2:
            closeTarget(&d)
            currentPhase = nil
            inBrokenSection = true
            guard let ref = phaseRef(title, number: number, column: indent + level + 2, &d) else { return }
            if let earlier = sections[ref] {
                d.add(number, indent + 1, "the section `## \(ref)` already begins on line \(earlier); put everything about that phase in one section")
                return
            }
            sections[ref] = number
            currentPhase = ref
            steps = []
            target = Target(phase: ref, step: nil, line: number)
            inBrokenSection = false
        case 3:
            guard let phase = currentPhase else {
                if !inBrokenSection {
                    d.add(number, indent + 1, "a `### step N` heading belongs inside a phase section: put a `## <phase>` heading (such as `## im2col`) above it")
                }
                return
            }
            let words = title.lowercased().split(separator: " ")
            guard words.count == 2, words[0] == "step", let n = Int(words[1]), n >= 1, n <= 1_000_000 else {
                d.add(number, indent + 5, "write a step heading as `### step 3` (steps count from 1 within the phase)")
                closeTarget(&d)
                target = nil
                inBrokenSection = true
                return
            }
            closeTarget(&d)
            if steps.contains(n) {
                d.add(number, indent + 1, "`### step \(n)` appears twice in `## \(phase)`; put everything about that step under one heading")
            }
            steps.insert(n)
            target = Target(phase: phase, step: n, line: number)
        default:
            if target != nil {
                d.add(number, indent + 1, "lessons use `##` for phases and `###` for steps; write `## <phase>` or `### step N`")
            }
        }
    }

    /// `im2col`, `transpose 2`: a phase kind and an optional occurrence number.
    private func phaseRef(_ title: String, number: Int, column: Int, _ d: inout Diagnostics) -> PhaseRef? {
        var words = title.lowercased().split(separator: " ").map(String.init)
        var occurrence = 1
        if words.count >= 2, let last = words.last, let n = Int(last) {
            guard n >= 1, n <= 1000 else {
                d.add(number, column, "`\(last)` is not an occurrence: count from 1, as in `## transpose 2` for the second transpose")
                return nil
            }
            occurrence = n
            words.removeLast()
        }
        let name = words.joined(separator: " ")
        guard let kind = PhaseKind(rawValue: name) else {
            let names = PhaseKind.allCases.map(\.rawValue)
            let near = Suggest.nearest(name, among: names) ?? "input"
            d.add(number, column, "`\(name)` is not a phase; did you mean `## \(near)`? (phases: \(names.joined(separator: ", ")))")
            return nil
        }
        return PhaseRef(kind: kind, occurrence: occurrence)
    }

    private mutating func closeQuestion(_ d: inout Diagnostics) {
        guard let q = question, let t = target else { question = nil; return }
        question = nil
        var missing: [String] = []
        for lang in ["en", "ja"] where q.prompt[lang] == nil { missing.append("`? \(lang): …` (the question)") }
        for lang in ["en", "ja"] where q.answer[lang] == nil { missing.append("`> \(lang): …` (the answer)") }
        guard missing.isEmpty else {
            d.add(q.line, 1, "this question is missing \(missing.joined(separator: " and ")); a question needs both languages and an answer in both")
            return
        }
        var choices: [Localized] = []
        if q.choicesBroken { return }
        if let expected = q.expected, case .choice(let n) = expected.spec {
            guard let en = q.choices["en"], let ja = q.choices["ja"] else {
                d.add(expected.line, expected.column, "a `choice` answer needs its choices: add `choices.en: … | …` and `choices.ja: … | …` lines after it")
                return
            }
            guard en.list.count == ja.list.count else {
                d.add(ja.line, 1, "`choices.ja:` lists \(ja.list.count) choices and `choices.en:` \(en.list.count); list the same choices in both languages")
                return
            }
            guard n <= en.list.count else {
                d.add(expected.line, expected.column, "there is no choice \(n): the question lists \(en.list.count); write a number from 1 to \(en.list.count)")
                return
            }
            choices = zip(en.list, ja.list).map { Localized(en: $0, ja: $1) }
        } else if let listed = q.choices.values.map(\.line).min() {
            d.add(listed, 1, "choices go with `answer: choice N`; write which choice is right on the `answer:` line, or remove the choices")
            return
        }
        questions.append(Question(phase: t.phase, step: t.step,
                                  prompt: Localized(en: q.prompt["en"]!, ja: q.prompt["ja"]!),
                                  answer: Localized(en: q.answer["en"]!, ja: q.answer["ja"]!), line: q.line,
                                  expected: q.expected?.spec, choices: choices,
                                  answerLine: q.expected?.line ?? 0, answerColumn: q.expected?.column ?? 1))
    }

    private mutating func closeTarget(_ d: inout Diagnostics) {
        closeQuestion(&d)
        defer { target = nil; block = nil }
        guard let t = target else { return }
        switch (t.en, t.ja) {
        case let (en?, ja?):
            notes.append(Note(phase: t.phase, step: t.step, text: Localized(en: en.text, ja: ja.text), line: en.line))
        case let (en?, nil):
            d.add(en.line, 1, "English narration without its Japanese: add a `ja:` paragraph for this \(t.step.map { "step \($0)" } ?? "section")")
        case let (nil, ja?):
            d.add(ja.line, 1, "Japanese narration without its English: add an `en:` paragraph for this \(t.step.map { "step \($0)" } ?? "section")")
        case (nil, nil): break
        }
    }
}
