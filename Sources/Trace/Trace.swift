import Engine

/// A finished recording: the tensor and phase tables, the events, and indexes from steps to
/// events and phases. Immutable, so it can be shared by every front end.
///
/// A *position* is a step index. The state "at step s" is the state after every event of
/// steps 0…s, so the frame for step s shows that step done.
public struct Trace: Sendable {
    /// The most events a trace may hold (24 bytes each).
    public static let maxEvents = 16_000_000

    /// The layer the trace records, as one object.
    public let layer: LayerInfo
    public let tensors: [TensorInfo]
    /// The number of events recorded before each tensor was declared.
    public let declaredAt: [Int]
    public let phases: [PhaseInfo]
    public let events: EventStore
    /// The event index of each step.
    public let stepStarts: [Int]
    /// The phase index of each step.
    public let stepPhase: [Int]
    /// The first step of each phase (a phase with no step gets the next step's index).
    public let phaseFirstStep: [Int]
    private let keyframes: [Keyframe]

    public var stepCount: Int { stepStarts.count }

    /// About how many bytes the trace holds, at most: the event chunks (used or not), the step
    /// and phase indexes, the keyframes and the tables. Keyframes count as full copies,
    /// though a tensor unchanged between two of them shares its storage; what a trace costs
    /// per event is this over `events.count`.
    public var bytesHeld: Int {
        let indexes = (stepStarts.count + stepPhase.count + phaseFirstStep.count + declaredAt.count) * MemoryLayout<Int>.stride
        let frames = keyframes.reduce(0) { $0 + $1.state.bytesHeld + MemoryLayout<Keyframe>.stride }
        return events.bytesReserved + indexes + frames + Self.tableBytes(tensors) + phases.count * 64
    }

    /// An estimate of the tensor table: the given values, the shapes and a fixed share for
    /// names, labels and array headers.
    public static func tableBytes(_ tensors: [TensorInfo]) -> Int {
        tensors.reduce(0) { $0 + $1.initial.count * 8 + $1.shape.count * 8 + 64 }
    }

    init(layer: LayerInfo, tensors: [TensorInfo], declaredAt: [Int], phases: [PhaseInfo], events: EventStore) {
        self.layer = layer
        self.tensors = tensors
        self.declaredAt = declaredAt
        self.phases = phases
        self.events = events
        var stepStarts: [Int] = []
        var stepPhase: [Int] = []
        var phaseFirstStep = [Int](repeating: -1, count: phases.count)
        var currentPhase = 0
        var i = 0
        events.forEachRun { run in
            for e in run {
                switch e.kind {
                case .phase:
                    currentPhase = Int(e.srcIndex)
                case .step:
                    if phaseFirstStep[currentPhase] < 0 { phaseFirstStep[currentPhase] = stepStarts.count }
                    stepStarts.append(i)
                    stepPhase.append(currentPhase)
                default:
                    break
                }
                i += 1
            }
        }
        var next = stepStarts.count
        for p in stride(from: phases.count - 1, through: 0, by: -1) {
            if phaseFirstStep[p] < 0 { phaseFirstStep[p] = next } else { next = phaseFirstStep[p] }
        }
        self.stepStarts = stepStarts
        self.stepPhase = stepPhase
        self.phaseFirstStep = phaseFirstStep
        self.keyframes = Keyframe.build(tensors: tensors, events: events, stepStarts: stepStarts)
    }

    /// The events of one step, its `step` event first.
    public func events(ofStep step: Int) -> EventStore {
        guard step >= 0, step < stepStarts.count else { return EventStore() }
        let end = step + 1 < stepStarts.count ? stepStarts[step + 1] : nextPhaseEvent(after: stepStarts[step])
        return events[stepStarts[step]..<end]
    }

    /// The step's events end at the next step or at the next phase, whichever comes first.
    private func nextPhaseEvent(after index: Int) -> Int {
        var i = index + 1
        while i < events.count, events[i].kind != .phase { i += 1 }
        return i
    }

    /// The tensor with this name declared last at or before `step` (names repeat: `u` is
    /// reshaped into a new `u`). The next phase declares its tensors after its phase event and
    /// before its first step, so they are not yet there at the last step of this one.
    public func tensor(named name: String, atStep step: Int) -> TensorID? {
        let next = step + 1 < stepStarts.count ? stepStarts[step + 1] : events.count
        let limit = stepStarts.indices.contains(step) ? min(next, nextPhaseEvent(after: stepStarts[step])) : next
        var found: TensorID?
        for (i, t) in tensors.enumerated() where t.name == name && declaredAt[i] <= limit {
            found = TensorID(UInt16(i))
        }
        return found
    }

    /// Every tensor's contents after step `step` (before step 0 when `step` is -1).
    public func state(after step: Int) -> TensorState {
        let end: Int
        if step < 0 { end = stepStarts.first ?? events.count }
        else if step + 1 < stepStarts.count { end = stepStarts[step + 1] }
        else { end = events.count }
        // The last keyframe at or before `end`: never a replay from the start.
        var lo = 0, hi = keyframes.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if keyframes[mid].eventIndex <= end { lo = mid } else { hi = mid - 1 }
        }
        var state = keyframes[lo].state
        state.apply(events[keyframes[lo].eventIndex..<end], tensors: tensors)
        return state
    }
}

/// Values and contribution counts of every tensor at one position.
public struct TensorState: Sendable, Equatable {
    public var values: [[Double]]
    /// A count of contributions. Each is one event, and a trace holds at most
    /// `Trace.maxEvents`, far below this type's maximum, so a count never runs over; 16 bits
    /// did (grad_b of a 1×1 filter over a 256×256 image collects 65,536).
    public typealias Count = UInt32

    /// How many write/accumulate events reached each cell (col2im's coverage, and whether a
    /// cell of a result has been computed yet).
    public var hits: [[Count]]

    init(tensors: [TensorInfo]) {
        values = tensors.map { info in
            info.origin == .given ? info.initial : [Double](repeating: 0, count: info.shape.reduce(1, *))
        }
        hits = tensors.map { [Count](repeating: 0, count: $0.shape.reduce(1, *)) }
    }

    public subscript(id: TensorID) -> [Double] { values[Int(id.rawValue)] }

    /// The values and counts this state holds.
    var bytesHeld: Int {
        values.reduce(0) { $0 + $1.count * MemoryLayout<Double>.stride }
            + hits.reduce(0) { $0 + $1.count * MemoryLayout<Count>.stride }
    }

    mutating func apply(_ events: EventStore, tensors: [TensorInfo]) {
        events.forEachRun { run in apply(run, tensors: tensors) }
    }

    private mutating func apply(_ events: UnsafeBufferPointer<Event>, tensors: [TensorInfo]) {
        for e in events {
            switch e.kind {
            case .write:
                let t = Int(e.dst.rawValue), i = Int(e.dstIndex)
                values[t][i] = e.value
                hits[t][i] &+= 1
            case .accumulate:
                let t = Int(e.dst.rawValue), i = Int(e.dstIndex)
                values[t][i] += e.value
                hits[t][i] &+= 1
            case .derive:
                let d = Int(e.dst.rawValue), s = Int(e.src.rawValue)
                switch tensors[d].origin {
                case .reshape:
                    values[d] = values[s]
                    hits[d] = hits[s]
                case .transpose(_, let axes):
                    values[d] = Self.transpose(values[s], shape: tensors[s].shape, axes: axes)
                    hits[d] = [Count](repeating: 1, count: values[d].count)
                case .given, .zeros:
                    values[d] = values[s]
                }
            case .phase, .step, .term, .argmax, .read, .link:
                break
            }
        }
    }

    static func transpose(_ data: [Double], shape: [Int], axes: [Int]) -> [Double] {
        Tensor(shape: shape, data: data).transposed(axes).data
    }
}

/// A saved state every so many events, so that seeking replays a bounded number of events.
private struct Keyframe: Sendable {
    var eventIndex: Int
    var state: TensorState

    static func build(tensors: [TensorInfo], events: EventStore, stepStarts: [Int]) -> [Keyframe] {
        var state = TensorState(tensors: tensors)
        var frames = [Keyframe(eventIndex: 0, state: state)]
        // One keyframe costs a copy of every tensor; space them so that keyframes together
        // cost about as much memory as the events, and never closer than 4096 events.
        let elements = tensors.reduce(0) { $0 + $1.shape.reduce(1, *) }
        let interval = Swift.max(4096, elements * 4)
        var last = 0
        for start in stepStarts where start - last >= interval {
            state.apply(events[last..<start], tensors: tensors)
            frames.append(Keyframe(eventIndex: start, state: state))
            last = start
        }
        return frames
    }
}
