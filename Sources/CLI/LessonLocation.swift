import Foundation
import Lessons

/// Where the lessons come from: `--lessons DIR` if given, else the `Lessons/` folder of the
/// current directory if there is one, else the copies built into the binary (so that a lone
/// copied `tatami` still has its course). Lessons are ordered by file name.
public struct LessonLocation: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case folder(String)
        case builtIn
    }

    /// One lesson file of a location.
    public struct Entry: Sendable, Equatable {
        /// The file name, such as `01-sliding-filter.md`.
        public var name: String
        /// The path shown in messages: a real path for folders, `Lessons/NAME` for built-ins.
        public var path: String
    }

    public var source: Source

    public init(source: Source) { self.source = source }

    /// Picks the location as described above.
    public static func resolve(lessons option: String?,
                               currentDirectory: String = FileManager.default.currentDirectoryPath) -> LessonLocation {
        if let option { return LessonLocation(source: .folder(option)) }
        let local = URL(fileURLWithPath: currentDirectory).appendingPathComponent("Lessons").path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory), isDirectory.boolValue {
            // Relative when it is the process's own directory, so messages read `Lessons/01-….md`.
            let isOwn = currentDirectory == FileManager.default.currentDirectoryPath
            return LessonLocation(source: .folder(isOwn ? "Lessons" : local))
        }
        return LessonLocation(source: .builtIn)
    }

    /// The lesson files, ordered by name (`README.md` is documentation, not a lesson).
    public func entries() -> Result<[Entry], LessonProblems> {
        switch source {
        case .builtIn:
            return .success(BuiltInLessons.all.map { Entry(name: $0.name, path: "Lessons/\($0.name)") })
        case .folder(let folder):
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                return .failure(LessonProblems([LessonProblem(file: folder, line: 1, column: 1,
                    message: "cannot read this lesson folder: check the path given to --lessons")]))
            }
            let lessons = names.filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" }.sorted()
            return .success(lessons.map { Entry(name: $0, path: (folder as NSString).appendingPathComponent($0)) })
        }
    }

    /// Reads and checks one entry.
    public func load(_ entry: Entry) -> Result<Lesson, LessonProblems> {
        switch source {
        case .folder:
            return LessonReader.load(path: entry.path)
        case .builtIn:
            guard let built = BuiltInLessons.all.first(where: { $0.name == entry.name }) else {
                return .failure(LessonProblems([LessonProblem(file: entry.path, line: 1, column: 1,
                    message: "there is no built-in lesson of this name; `tatami list` shows them")]))
            }
            return LessonReader.parse(built.text, path: entry.path) { _ in
                throw LessonLocationError("built-in lessons cannot name `.npy` files")
            }
        }
    }

    /// The lesson an argument names: nil for the first lesson; a path to a file; or a lesson of
    /// this location by file name, by name without `.md`, or by number (`3`, `03`).
    public func find(_ argument: String?) -> Result<Lesson, LessonProblems> {
        if let argument, FileManager.default.fileExists(atPath: argument),
           argument.hasSuffix(".md") || argument.contains("/") {
            return LessonReader.load(path: argument)
        }
        let all: [Entry]
        switch entries() {
        case .failure(let problems): return .failure(problems)
        case .success(let e): all = e
        }
        guard let argument else {
            guard let first = all.first else {
                return .failure(LessonProblems([LessonProblem(file: description, line: 1, column: 1,
                    message: "there are no lessons here: lesson files end in `.md` (see Lessons/README.md)")]))
            }
            return load(first)
        }
        if let entry = Self.match(argument, in: all) { return load(entry) }
        return .failure(LessonProblems([LessonProblem(file: argument, line: 1, column: 1,
            message: "no lesson file or lesson named `\(argument)` in \(description); `tatami list` shows the lessons")]))
    }

    static func match(_ argument: String, in entries: [Entry]) -> Entry? {
        let wanted = argument.lowercased()
        if let e = entries.first(where: { $0.name.lowercased() == wanted || $0.name.lowercased() == wanted + ".md" }) {
            return e
        }
        if let n = Int(wanted) {
            return entries.first { entry in
                Int(entry.name.prefix { $0.isNumber }) == n
            }
        }
        return entries.first { $0.name.lowercased().hasPrefix(wanted) }
    }

    /// A short name for messages.
    public var description: String {
        switch source {
        case .folder(let folder): return folder
        case .builtIn: return "the built-in lessons"
        }
    }
}

/// Why a built-in lesson could not read a file.
struct LessonLocationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Output of the lesson commands. (Through FileHandle, not `print`, so that nothing is held in
/// a buffer when the process exits with an error code.)
func lessonOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

func lessonError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
