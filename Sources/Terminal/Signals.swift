#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The last of SIGINT, SIGTERM or SIGHUP that arrived, 0 when none. A lock-free atomic store
/// is all a handler does, which keeps the handler async-signal-safe; the input loop, woken
/// by the interrupted read or by its timeout, sees the value and ends the player normally,
/// so that `endwin` runs outside the handler.
private let arrivedSignal = Atomic<Int32>(0)

private func noteSignal(_ number: Int32) {
    arrivedSignal.store(number, ordering: .relaxed)
}

/// Installs the flag-setting handlers for the signals that end the player and puts the old
/// ones back on `restore()`. SIGTSTP and SIGWINCH are left to ncurses, which suspends and
/// resumes the screen itself and turns a resize into `KEY_RESIZE`.
struct StopSignals {
    static let numbers: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var previous: [(Int32, sighandler_t?)] = []

    /// Must run before `newterm`: ncurses only installs its own SIGINT/SIGTERM handlers
    /// (which would exit from inside the handler) where it finds the default disposition.
    static func install() -> StopSignals {
        // Touch the global before any handler can: its lazy initialisation is not
        // something a signal handler may do.
        arrivedSignal.store(0, ordering: .relaxed)
        var installed = StopSignals()
        for number in numbers {
            let old = signal(number, noteSignal)
            // A signal the parent chose to ignore (nohup, a background job) stays ignored.
            if isIgnore(old) {
                signal(number, SIG_IGN)
            }
            installed.previous.append((number, old))
        }
        return installed
    }

    /// The signal that asked the player to stop, if one did.
    static var pending: Int32? {
        let value = arrivedSignal.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    private static func isIgnore(_ handler: sighandler_t?) -> Bool {
        // C function pointers are not Equatable in Swift; compare their addresses.
        unsafeBitCast(handler, to: UnsafeRawPointer?.self) == unsafeBitCast(SIG_IGN, to: UnsafeRawPointer?.self)
    }

    func restore() {
        for (number, old) in previous {
            signal(number, old)
        }
    }
}
