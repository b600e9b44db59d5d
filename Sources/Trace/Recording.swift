import Engine

/// A recorder that keeps everything the engine reports. `finish()` turns it into an
/// immutable `Trace` with the indexes a player needs.
///
/// Events go into fixed-size chunks, each allocated once: a trace of hundreds of millions of
/// events grows by adding chunks, never by copying the events it already holds.
public final class Recording: TraceRecorder {
    public var isEnabled: Bool = true
    /// Recording stops with an error once this many events were kept, so that a scenario
    /// too large to play cannot exhaust memory.
    public let eventLimit: Int
    public private(set) var tensors: [TensorInfo] = []
    public private(set) var declaredAt: [Int] = []
    public private(set) var phases: [PhaseInfo] = []
    /// The layer, as the engine last described it.
    public private(set) var layer: LayerInfo?
    private var occurrences: [PhaseKind: Int] = [:]
    public private(set) var overflowed = false

    private var chunks: [EventChunk] = []
    /// The chunk being filled (nil before the first event).
    private var current: UnsafeMutablePointer<Event>?
    /// Events in the current chunk.
    private var used = 0
    /// How many events the current chunk takes before a new one is needed or the limit is
    /// reached: one comparison in `record` covers both.
    private var room = 0
    /// Events in the chunks before the current one.
    private var filled = 0

    public init(eventLimit: Int = Trace.maxEvents) {
        self.eventLimit = eventLimit
    }

    /// The events kept so far. Later events do not change a store already taken.
    public var events: EventStore {
        EventStore(chunks: chunks, range: 0..<eventCount)
    }

    /// How many events were kept so far.
    public var eventCount: Int { filled + used }

    public func declare(_ info: TensorInfo) -> TensorID {
        precondition(tensors.count < Int(UInt16.max), "more tensors than a trace can name")
        tensors.append(info)
        declaredAt.append(eventCount)
        return TensorID(UInt16(tensors.count - 1))
    }

    public func begin(_ phase: PhaseInfo) {
        var phase = phase
        occurrences[phase.kind, default: 0] += 1
        phase.occurrence = occurrences[phase.kind]!
        phases.append(phase)
        record(Event(.phase, phases.count - 1))
    }

    public func describe(_ layer: LayerInfo) {
        self.layer = layer
    }

    public func record(_ event: Event) {
        if used == room, !makeRoom() {
            overflowed = true
            return
        }
        // `makeRoom` set `current` before `room` became positive.
        (current.unsafelyUnwrapped + used).initialize(to: event)
        used += 1
    }

    /// Starts a new chunk when the current one is full; false when the limit is reached.
    private func makeRoom() -> Bool {
        guard eventCount < eventLimit else { return false }
        if used == EventStore.chunkCapacity || current == nil {
            filled += used
            used = 0
            let chunk = EventChunk()
            chunks.append(chunk)
            current = chunk.base
        }
        room = min(EventStore.chunkCapacity, eventLimit - filled)
        return true
    }

    /// The finished trace, or an error naming the limit when events were dropped.
    public func finish() throws -> Trace {
        if overflowed {
            throw EngineError("this scenario needs more than \(eventLimit) trace events, the most a trace can hold; use smaller shapes")
        }
        guard let layer else { throw EngineError("the engine recorded no layer") }
        return Trace(layer: layer, tensors: tensors, declaredAt: declaredAt, phases: phases, events: events)
    }
}
