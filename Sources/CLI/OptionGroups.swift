import Foundation
import ArgumentParser
import Storyboard

// The option groups the commands share: one definition each, so that `--lang`, `--size` or
// `--ascii` read and refuse alike in every command that takes them.

/// `--lang`: the language of narration, titles and the player's own words.
struct LanguageArguments: ParsableArguments {
    @Option(help: "Language (default: from LC_ALL, LC_MESSAGES or LANG).")
    var lang: Word<Language>?

    func validate() throws { _ = try lang?.value("--lang") }

    func language(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Language {
        guard let lang else { return Language.fromLocale(environment) }
        return try lang.value("--lang")
    }
}

/// How frames are drawn, for the commands that show them (`play`, `render`, `record`).
struct ViewArguments: ParsableArguments {
    @OptionGroup var language: LanguageArguments

    @Flag(name: .customLong("symbols"), help: "Show cells as symbols (W, 1W + 2X + …).")
    var symbols = false

    @Flag(name: .customLong("numbers"), help: "Show cells as numbers (the default).")
    var numbers = false

    @Flag(name: .customLong("no-code"), help: "Hide the code pane.")
    var noCode = false

    @Flag(help: """
        Draw borders, arrows and marks in ASCII, keeping Japanese: for a terminal that draws \
        ─ · × → … two columns wide (East Asian ambiguous width set to wide). Also TATAMI_ASCII=1.
        """)
    var ascii = false

    func validate() throws {
        if symbols && numbers { throw ValidationError("--symbols and --numbers cannot be given together; choose one") }
    }

    /// The options for `board`'s frames: as below, starting in the view the lesson chooses
    /// (`view: symbols`) unless `--symbols` or `--numbers` says otherwise.
    func viewOptions(for board: Storyboard, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ViewOptions {
        var options = try viewOptions(environment: environment)
        if !symbols && !numbers, let chosen = board.startsInSymbols { options.symbols = chosen }
        return options
    }

    /// The options for frames shown here: ASCII where the locale cannot show more (then in
    /// English) or where `--ascii` or `TATAMI_ASCII` asks for it.
    func viewOptions(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ViewOptions {
        let utf8 = TerminalLocale.localeIsUTF8(environment)
        return ViewOptions(symbols: symbols, showCode: !noCode, language: try language.language(environment: environment),
                           asciiOnly: !utf8 || ascii || TerminalLocale.asksForASCII(environment), keepsJapanese: utf8)
    }
}

enum TerminalLocale {
    /// Whether the locale can show UTF-8 (box drawing, Japanese); otherwise frames use ASCII.
    static func localeIsUTF8(_ env: [String: String]) -> Bool {
        for key in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let v = env[key], !v.isEmpty {
                let u = v.uppercased()
                return u.contains("UTF-8") || u.contains("UTF8")
            }
        }
        return false
    }

    /// `TATAMI_ASCII` set to anything but empty or `0`: `--ascii` for every command that draws
    /// on this terminal, for a user whose terminal always draws ambiguous-width symbols wide.
    static func asksForASCII(_ env: [String: String]) -> Bool {
        guard let value = env["TATAMI_ASCII"] else { return false }
        return !value.isEmpty && value != "0"
    }
}

/// Where lessons are looked up when a command names one by number or name.
struct LessonFolderArguments: ParsableArguments {
    @Option(help: ArgumentHelp("A folder of lessons to use (default: ./Lessons, else the course built into tatami).",
                               valueName: "folder"))
    var lessons: String?
}

/// `--size` of a rendered or recorded frame.
struct FrameSizeArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Frame size.", valueName: "WIDTHxHEIGHT"))
    var size = FrameSize(argument: "100x32")

    func validate() throws { _ = try size.value() }

    /// The size, refused where it is below what `board` needs: a frame of "terminal too small"
    /// is no use in a file.
    func value(for board: Storyboard, named name: String) throws -> Size {
        let size = try self.size.value()
        let need = board.minimumSize
        guard size.width >= need.width, size.height >= need.height else {
            throw ValidationError("\(name) needs at least \(need.width)x\(need.height); --size \(self.size.text) is too small")
        }
        return size
    }
}

/// How `render` encodes frames and where it puts them: `--format`, the older `--color`, `-o`.
struct FrameOutputArguments: ParsableArguments {
    @Option(help: ArgumentHelp("The encoding: text, ansi (text with colours), svg or html (default: as --color says).",
                               valueName: "text|ansi|svg|html"))
    var format: Word<FrameFormat>?

    @Option(help: "Colours of text: auto colours only on a terminal, and never with NO_COLOR set (default: auto).")
    var color: Word<ColorMode>?

    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("The file to write (with --all, the folder to write one file per step into).",
                               valueName: "path"))
    var output: String?

    func validate() throws {
        _ = try format?.value("--format")
        _ = try color?.value("--color")
        if format != nil && color != nil {
            throw ValidationError("--format and --color cannot be given together; --format text is --color never and --format ansi is --color always")
        }
        if let output, output.isEmpty { throw ValidationError("-o needs a file name (with --all, a folder name)") }
    }

    /// The encoding asked for: `--format`, else text or ANSI as `--color` decides.
    func chosenFormat() throws -> FrameFormat {
        if let format { return try format.value("--format") }
        return useColor(try color?.value("--color") ?? .auto) ? .ansi : .text
    }
}
