import Engine

/// One block of events, allocated once at its full capacity and never moved, so that a trace
/// of hundreds of millions of events grows without ever copying what it already holds.
final class EventChunk: @unchecked Sendable {
    // Unchecked: a chunk's cells are written only by the recording that owns it, each once
    // and below the counts of any `EventStore` made later; a store only reads below its own
    // count, so no cell is ever read and written by two threads.
    let base: UnsafeMutablePointer<Event>

    init() {
        base = .allocate(capacity: EventStore.chunkCapacity)
    }

    deinit {
        // `Event` is a trivial type: its cells need no deinitialization.
        base.deallocate()
    }
}

/// The events of a trace, or a contiguous part of them: a random-access collection over
/// fixed-size chunks, indexed by event number.
///
/// Like `ArraySlice`, a part keeps the indices of the whole (`events[10..<20].startIndex` is
/// 10) and is itself an `EventStore`, so slicing costs nothing and iterating a part is as
/// fast as iterating the whole.
public struct EventStore: RandomAccessCollection, Sendable {
    public typealias Element = Event
    public typealias Index = Int
    public typealias SubSequence = EventStore
    public typealias Indices = Range<Int>

    /// Events per chunk as a power of two, so that finding an event is a shift and a mask.
    /// 2^16 events are 1.5 MB: large enough that a new chunk is rare, small enough that the
    /// unused tail of the last chunk is negligible next to a large trace (and never touched,
    /// so never resident, in a small one).
    static let chunkShift = 16
    static let chunkCapacity = 1 << chunkShift
    static let chunkMask = chunkCapacity - 1

    let chunks: [EventChunk]
    public let startIndex: Int
    public let endIndex: Int

    init(chunks: [EventChunk], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= chunks.count << Self.chunkShift,
                     "events beyond the chunks that hold them")
        self.chunks = chunks
        startIndex = range.lowerBound
        endIndex = range.upperBound
    }

    /// No events.
    public init() {
        self.init(chunks: [], range: 0..<0)
    }

    public var count: Int { endIndex - startIndex }

    public var indices: Range<Int> { startIndex..<endIndex }

    public func index(after i: Int) -> Int { i + 1 }

    public func index(before i: Int) -> Int { i - 1 }

    public subscript(position: Int) -> Event {
        precondition(position >= startIndex && position < endIndex, "event index out of range")
        return chunks[position >> Self.chunkShift].base[position & Self.chunkMask]
    }

    public subscript(bounds: Range<Int>) -> EventStore {
        precondition(bounds.lowerBound >= startIndex && bounds.upperBound <= endIndex,
                     "event range out of range")
        return EventStore(chunks: chunks, range: bounds)
    }

    /// The memory the chunks take, used or not (shared with any other store of the same trace).
    public var bytesReserved: Int {
        chunks.count * Self.chunkCapacity * MemoryLayout<Event>.stride
    }

    /// Calls `body` with each chunk's part of these events, in order: the fast way through
    /// many events, with no per-event index arithmetic.
    func forEachRun(_ body: (UnsafeBufferPointer<Event>) throws -> Void) rethrows {
        var i = startIndex
        while i < endIndex {
            let offset = i & Self.chunkMask
            let n = Swift.min(endIndex - i, Self.chunkCapacity - offset)
            try body(UnsafeBufferPointer(start: chunks[i >> Self.chunkShift].base + offset, count: n))
            i += n
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(self)
    }

    /// Walks a chunk at a time with a pointer, rather than finding each event's chunk anew.
    public struct Iterator: IteratorProtocol {
        private let store: EventStore
        private var run = UnsafeBufferPointer<Event>(start: nil, count: 0)
        private var position = 0
        private var nextRun: Int

        init(_ store: EventStore) {
            self.store = store
            nextRun = store.startIndex
        }

        public mutating func next() -> Event? {
            if position == run.count {
                guard nextRun < store.endIndex else { return nil }
                let offset = nextRun & EventStore.chunkMask
                let n = Swift.min(store.endIndex - nextRun, EventStore.chunkCapacity - offset)
                run = UnsafeBufferPointer(start: store.chunks[nextRun >> EventStore.chunkShift].base + offset, count: n)
                position = 0
                nextRun += n
            }
            defer { position += 1 }
            return run[position]
        }
    }
}
