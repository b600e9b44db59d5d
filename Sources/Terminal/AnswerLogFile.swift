#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Storyboard

/// The file `--log` appends answer records to, one JSON line each. Opened before play starts,
/// so that an unwritable file is refused up front; each record is one locked `write` to a
/// file opened for appending, so that several students' players can share one log.
public final class AnswerLogFile: @unchecked Sendable {
    private let descriptor: Int32
    public let path: String

    /// Opens (creating) `path` for appending; the error is one sentence naming the file.
    public init(path: String) throws(AnswerLogError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw AnswerLogError(message: "cannot write the answer log \(path): \(String(cString: strerror(errno))); choose a file in a folder you can write to")
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            throw AnswerLogError(message: "the answer log \(path) is not a regular file; give a file name such as answers.jsonl")
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Appends one record as a line. A failed write is not retried: the lesson goes on.
    public func append(_ record: AnswerRecord) {
        let line = Array((record.jsonLine + "\n").utf8)
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        var written = 0
        while written < line.count {
            let n = line[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if n <= 0 { if errno == EINTR { continue } else { return } }
            written += n
        }
    }
}

/// Why the answer log cannot be written.
public struct AnswerLogError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
