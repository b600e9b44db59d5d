import ArgumentParser
import Engine
import Foundation
import NPY

/// `tatami compute`: runs one layer on `.npy` files, so that a student can check their own
/// numpy code against the engine, and so that the numbers can be tested from outside.
public struct Compute: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Compute a convolution, a pooling, im2col or col2im on .npy files.",
        discussion: """
            Reads .npy files (versions 1, 2 and 3; little-endian float64, float32, int64 or int32; \
            C order) and writes float64 .npy files into --out, which is created if missing. \
            Shapes follow the seed article: x (B, C, H, W), w (M, C, FH, FW), b (M,), \
            y (B, M, OH, OW).
            """,
        subcommands: [ComputeConv2D.self, ComputePool.Max.self, ComputePool.Average.self,
                      ComputeIm2col.self, ComputeCol2im.self]
    )
    public init() {}
}

/// Reading the inputs and writing the outputs, with the checks every command shares.
enum ComputeFiles {
    /// Reads a 4-axis array such as `x` or `w`, refusing another rank or an empty axis.
    static func read4(_ path: String, role: String) throws -> Tensor {
        let t = try NPY.read(path: path)
        guard t.rank == 4 else {
            throw Failure("\(path) has shape \(shapeText(t.shape)), but \(role) needs 4 axes")
        }
        try requireNonEmpty(t, path)
        return t
    }

    static func requireNonEmpty(_ t: Tensor, _ path: String) throws {
        guard !t.shape.contains(0) else {
            throw Failure("\(path) has shape \(shapeText(t.shape)), with an empty axis; every size must be at least 1")
        }
    }

    /// Refuses a `--dy` that is not shaped like the forward output it is the gradient of.
    static func readGradient(_ path: String, like y: Tensor) throws -> Tensor {
        let dy = try NPY.read(path: path)
        guard dy.shape == y.shape else {
            throw Failure("\(path) has shape \(shapeText(dy.shape)), but the gradient of the output must have the output's shape \(shapeText(y.shape))")
        }
        return dy
    }

    /// Refuses an `--out` that names a file before any work is done.
    static func checkOut(_ out: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw Failure("--out \(out) is a file, but it must be a directory")
        }
    }

    /// Creates `out` if needed and writes every array, all or none: each is written to a hidden
    /// file beside its place, and only when every one is written do they take their names. Called
    /// only once all of them are computed, so that a refused input leaves nothing behind.
    ///
    /// `family` names every file the command can write: those this run does not write (`dx.npy`
    /// after a run without `--dy`) are removed and the output says so, so that every file of the
    /// command in `out` is from this run and a student never loads a stale one.
    static func write(_ outputs: [(name: String, tensor: Tensor)], to out: String, family: [String]) throws {
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw Failure("--out \(out) cannot be created (\(whyNotCreatable(out, error)))")
        }
        func place(_ name: String) -> String { (out as NSString).appendingPathComponent(name) }
        var isDirectory: ObjCBool = false
        for (name, _) in outputs where FileManager.default.fileExists(atPath: place(name), isDirectory: &isDirectory)
            && isDirectory.boolValue {
            throw Failure("\(place(name)) cannot be written: it is a directory")
        }
        var written: [(temporary: String, path: String)] = []
        do {
            for (name, tensor) in outputs {
                let temporary = place(".\(name).\(getpid()).partial")
                do {
                    try NPY.write(tensor, to: temporary)
                } catch {
                    unlink(temporary)
                    throw Failure("\(place(name)) cannot be written (\(whyNotCreatable(temporary, error)))")
                }
                written.append((temporary, place(name)))
            }
            for file in written where rename(file.temporary, file.path) != 0 {
                throw Failure("\(file.path) cannot be written (\(String(cString: strerror(errno))))")
            }
        } catch {
            for file in written { unlink(file.temporary) }
            throw error
        }
        for (name, tensor) in outputs { print("\(place(name)) \(shapeText(tensor.shape))") }
        for name in family where !outputs.contains(where: { $0.name == name }) {
            let path = place(name)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            if unlink(path) == 0 {
                print("removed \(path): an output of an earlier run that this run does not write")
            } else {
                throw Failure("\(path) is an output of an earlier run and cannot be removed (\(String(cString: strerror(errno))))")
            }
        }
    }

    /// Foundation's own text for a failed `createDirectory` is vague ("error 512"); the
    /// nearest existing ancestor usually says what is really wrong.
    private static func whyNotCreatable(_ out: String, _ error: any Error) -> String {
        var ancestor = (out as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        while !ancestor.isEmpty, !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
            let parent = (ancestor as NSString).deletingLastPathComponent
            if parent == ancestor { break }
            ancestor = parent
        }
        if !ancestor.isEmpty, FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return "\(ancestor) is not a directory" }
            if !FileManager.default.isWritableFile(atPath: ancestor) { return "\(ancestor) is not writable" }
        }
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let text = strerror(Int32(underlying.code)) {
            return String(cString: text).lowercased()
        }
        var text = ns.localizedDescription
        if let range = text.range(of: "The operation could not be completed. ") { text.removeSubrange(..<range.upperBound) }
        if text.hasSuffix(".") { text.removeLast() }
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
