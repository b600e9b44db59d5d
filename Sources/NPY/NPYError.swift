/// Why a `.npy` file was refused: one sentence that names the file and what was found in it.
public struct NPYError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sentence to show the user, without a trailing newline.
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The element types tatami reads. Everything is widened to `Double` on the way in.
public enum NPYDType: String, Sendable, Equatable, CaseIterable {
    case float64, float32, int64, int32

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        }
    }

    /// The type string numpy writes for this type on a little-endian machine.
    public var descr: String {
        switch self {
        case .float64: "<f8"
        case .float32: "<f4"
        case .int64: "<i8"
        case .int32: "<i4"
        }
    }
}
