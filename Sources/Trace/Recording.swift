import Engine

/// A recorder that keeps everything the engine reports. `finish()` turns it into an
/// immutable `Trace` with the indexes a player needs.
public final class Recording: TraceRecorder {
    public var isEnabled: Bool = true
    /// Recording stops with an error once this many events were kept, so that a scenario
    /// too large to play cannot exhaust memory.
    public let eventLimit: Int
    public private(set) var tensors: [TensorInfo] = []
    public private(set) var declaredAt: [Int] = []
    public private(set) var phases: [PhaseInfo] = []
    public private(set) var events: [Event] = []
    public private(set) var overflowed = false

    public init(eventLimit: Int = Trace.maxEvents) {
        self.eventLimit = eventLimit
    }

    public func declare(_ info: TensorInfo) -> TensorID {
        precondition(tensors.count < Int(UInt16.max), "more tensors than a trace can name")
        tensors.append(info)
        declaredAt.append(events.count)
        return TensorID(UInt16(tensors.count - 1))
    }

    public func begin(_ phase: PhaseInfo) {
        phases.append(phase)
        record(Event(.phase, phases.count - 1))
    }

    public func record(_ event: Event) {
        guard events.count < eventLimit else {
            overflowed = true
            return
        }
        events.append(event)
    }

    /// The finished trace, or an error naming the limit when events were dropped.
    public func finish() throws -> Trace {
        if overflowed {
            throw EngineError("this scenario needs more than \(eventLimit) trace events, the most a trace can hold; use smaller shapes")
        }
        return Trace(tensors: tensors, declaredAt: declaredAt, phases: phases, events: events)
    }
}
