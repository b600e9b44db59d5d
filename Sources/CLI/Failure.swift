import Foundation
import ArgumentParser
import Engine
import NPY
import Lessons

/// A refusal of what the command line names (a file, a lesson, the work asked for): one
/// sentence, printed as `tatami: <sentence>`, exit code 1. A refusal of the command line itself
/// is a `ValidationError` instead: exit code 64, as argument-parser gives for its own refusals.
struct Failure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Runs a command's body and turns every error into one sentence on stderr (lesson problems as
/// `file:line:column: message` lines) and exit code 1, never a stack trace. Refusals of the
/// command line pass through, for `Tatami.main` to report with exit code 64.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
        return
    } catch let error as ExitCode {
        throw error
    } catch let usage as ValidationError {
        throw usage
    } catch let problems as LessonProblems {
        for p in problems {
            // A problem with a file gets the file's position; one with a name typed on the
            // command line (no such file) is a plain sentence.
            let isFile = FileManager.default.fileExists(atPath: p.file) || p.file.hasPrefix("Lessons/")
            printError(isFile ? p.description : "tatami: " + p.message + (p.message.hasSuffix(".") ? "" : "."))
        }
        throw ExitCode(1)
    } catch {
        printError(sentence(refusalMessage(error)))
        throw ExitCode(1)
    }
}

/// What an error says in its own words, for the one sentence tatami prints about it.
func refusalMessage(_ error: Error) -> String {
    switch error {
    case let e as Failure: e.message
    case let e as EngineError: e.message
    case let e as NPYError: e.message
    case let e as ValidationError: e.message
    default: String(describing: error)
    }
}

/// `message` as the one line tatami writes for a refusal: `tatami: <message>.`
func sentence(_ message: String) -> String {
    var text = message.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    if !(text.hasSuffix(".") || text.hasSuffix("?") || text.hasSuffix("!")) { text += "." }
    return "tatami: " + text
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Writes to stdout without buffering surprises when stdout is a pipe that closes early.
func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
