import Engine
import Foundation

/// Reading and writing `.npy` files on disk: a thin layer over `NPY.decode` and `NPY.encode`.
extension NPY {
    /// Reads the `.npy` file at `path`.
    ///
    /// The file's size is checked against the element limit before it is read, so that a
    /// huge file is refused without being loaded.
    public static func read(path: String, maxElements: Int = NPY.maxElements) throws(NPYError) -> Tensor {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw NPYError("\(path) does not exist.")
        }
        guard !isDirectory.boolValue else {
            throw NPYError("\(path) is a directory, not a .npy file.")
        }
        // The largest legal file: a version-2 header can in principle be 4 GiB, but no
        // real header is more than a few kilobytes, so one MiB of slack is generous.
        let limit = maxElements.multipliedReportingOverflow(by: 8)
        let ceiling = limit.overflow ? Int.max : limit.partialValue.addingReportingOverflow(1 << 20).partialValue
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let size = (attributes[.size] as? NSNumber)?.intValue, size > ceiling {
            throw NPYError("\(path) is \(size) bytes long, more than an array of tatami's limit of \(maxElements) elements can take.")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw NPYError("\(path) cannot be read (\(reason(error))).")
        }
        return try decode([UInt8](data), name: path, maxElements: maxElements)
    }

    /// Writes `tensor` as a float64 `.npy` file at `path`.
    ///
    /// The bytes go to a temporary file first and are moved into place, so that a failed
    /// write never leaves a half-written array behind.
    public static func write(_ tensor: Tensor, to path: String) throws(NPYError) {
        do {
            try Data(encode(tensor)).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw NPYError("\(path) cannot be written (\(reason(error))).")
        }
    }

    /// The operating system's words for why a file operation failed.
    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let text = strerror(Int32(underlying.code)) {
            return String(cString: text).lowercased()
        }
        if ns.domain == NSPOSIXErrorDomain, let text = strerror(Int32(ns.code)) {
            return String(cString: text).lowercased()
        }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file or directory"
        case .fileWriteOutOfSpace: return "no space left on device"
        default: return ns.localizedDescription
        }
    }
}
