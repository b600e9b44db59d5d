#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcursesw
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

/// The handlers that were in place for the crash signals before `CrashGuard.install`, as
/// addresses in a fixed buffer, so that the handler can hand the crash on without touching
/// reference counts, allocating or locking. Written only while no crash handler is installed.
nonisolated(unsafe) private let previousCrashHandlers = UnsafeMutablePointer<UInt>.allocate(capacity: 8)

private func restoreTerminalAndCrash(_ number: Int32) {
    // A trap in some other module must not leave the classroom's terminal in raw mode on the
    // alternate screen. endwin is not async-signal-safe, but the process is ending anyway and
    // ncurses' own cleanup handler does the same; afterwards the previous handler (the Swift
    // runtime's crash report, or the default action) gets the re-delivered signal.
    endwin()
    let index = CrashGuard.index(of: number)
    signal(number, index < 0 ? SIG_DFL : unsafeBitCast(previousCrashHandlers[index], to: sighandler_t?.self))
    // For a fault (SIGSEGV, SIGILL, SIGBUS, SIGTRAP) returning re-runs the faulting
    // instruction; SIGABRT and SIGFPE may have been sent rather than caused, so send them
    // again (they arrive once this handler returns).
    if number == SIGABRT || number == SIGFPE { raise(number) }
}

/// Restores the terminal when the process crashes while curses is active.
enum CrashGuard {
    static let numbers: [Int32] = [SIGSEGV, SIGILL, SIGBUS, SIGTRAP, SIGABRT, SIGFPE]

    /// A switch rather than a search of `numbers`: nothing in the handler may allocate.
    fileprivate static func index(of number: Int32) -> Int {
        switch number {
        case SIGSEGV: return 0
        case SIGILL: return 1
        case SIGBUS: return 2
        case SIGTRAP: return 3
        case SIGABRT: return 4
        case SIGFPE: return 5
        default: return -1
        }
    }

    static func install() {
        for (index, number) in numbers.enumerated() {
            let old = signal(number, restoreTerminalAndCrash)
            previousCrashHandlers[index] = unsafeBitCast(old, to: UInt.self)
        }
    }

    static func remove() {
        for (index, number) in numbers.enumerated() {
            let previous = previousCrashHandlers[index]
            signal(number, unsafeBitCast(previous, to: sighandler_t?.self))
        }
    }
}
