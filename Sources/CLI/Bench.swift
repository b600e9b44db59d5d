import Foundation
import ArgumentParser
import Engine
import Trace
import Lessons
import Storyboard
import Terminal

/// `tatami bench`: the performance figures of the engine, the trace and the frames, as a table
/// or one JSON object. Benchmarks, not tests: nothing here fails because the machine is busy.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the engine, recording, seeking and frames (median seconds).")

    static let defaultShapes = ["8,3,32,32,16,3,3,1,1", "32,16,28,28,32,3,3,1,1"]
    static let frameSize = Size(width: 160, height: 48)

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("Measure only this convolution (stride and pad square).", valueName: "B,C,H,W,M,FH,FW,S,P"))
    var conv: String?

    @Option(help: ArgumentHelp("The convolution whose full trace is recorded (default: the first default shape; the second needs about 12 GB).",
                               valueName: "B,C,H,W,M,FH,FW,S,P"))
    var record: String?

    @Option(parsing: .unconditional, help: "Repetitions of each timed run (1-1000).")
    var iters = 20

    @Flag(name: .customLong("first-frame-probe"), help: .hidden)
    var firstFrameProbe = false

    func validate() throws {
        guard (1...1000).contains(iters) else { throw ValidationError("--iters must be from 1 to 1000 (got \(iters))") }
        if let conv { _ = try BenchShape.numbers(conv, option: "--conv") }
        if let record { _ = try BenchShape.numbers(record, option: "--record") }
    }

    func run() throws {
        if firstFrameProbe {
            let frame = try Self.firstFrame()
            printOut(frame.isEmpty ? "empty\n" : "frame\n")
            return
        }
        try reportingErrors {
            let n = iters
            let shapes = try (conv.map { [$0] } ?? Self.defaultShapes).map { try BenchShape($0) }
            var report = BenchReport()
            for shape in shapes { report.shapes.append(try shape.measure(iterations: n)) }
            if conv == nil {
                try report.measureTraceAndFrames(iterations: n, recordShape: try BenchShape(record ?? Self.defaultShapes[0], option: "--record"))
            }
            printOut(json ? report.json + "\n" : report.table)
        }
    }

    /// The first lesson, from its copy in the binary, recorded, laid out and rendered as text.
    static func firstFrame() throws -> String {
        let board = try builtInBoard(0)
        return TextRenderer.plain(board.frame(at: 0, size: frameSize, options: ViewOptions()))
    }

    static func builtInBoard(_ index: Int) throws -> Storyboard {
        let built = BuiltInLessons.all[index]
        switch LessonReader.parse(built.text, path: "Lessons/" + built.name, readNPY: { name in
            throw Failure("a built-in lesson refers to \(name)")
        }) {
        case .success(let lesson): return Storyboard(lesson: lesson, trace: try Trace.record(lesson.scenario))
        case .failure(let problems): throw problems
        }
    }
}

/// One convolution shape from `B,C,H,W,M,FH,FW,S,P`, with its seeded inputs.
struct BenchShape {
    let text: String
    let x, w, b, grad: Tensor
    let stride, pad: Int

    /// The nine numbers of `B,C,H,W,M,FH,FW,S,P`, refused when the text is not that.
    static func numbers(_ text: String, option: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        let v = parts.compactMap { $0 }
        guard parts.count == 9, v.count == 9 else {
            throw ValidationError("\(option) must be nine whole numbers B,C,H,W,M,FH,FW,S,P, not \"\(text)\"")
        }
        guard v[0..<8].allSatisfy({ $0 >= 1 }), v[8] >= 0 else {
            throw ValidationError("\(option) \(text): every size and the stride must be at least 1 and the pad at least 0")
        }
        guard v[2] >= 2, v[3] >= 2 else {
            throw ValidationError("\(option) \(text): the 2×2 max pooling needs an input of at least 2×2")
        }
        return v
    }

    init(_ text: String, option: String = "--conv") throws {
        let v = try Self.numbers(text, option: option)
        // Sizes are checked (overflow, the engine's element limit) before anything is allocated.
        let g = try ConvGeometry(input: Array(v[0..<4]), filter: [v[4], v[1], v[5], v[6]], stride: Pair(v[7]), pad: Pair(v[8]))
        var r = SplitMix64(seed: 7)
        (self.text, stride, pad) = (text, v[7], v[8])
        x = r.tensor(g.inputShape)
        w = r.tensor(g.filterShape)
        b = r.tensor([g.M])
        grad = r.tensor(g.outputShape)
    }

    func layer() throws -> ConvLayer {
        try ConvLayer(w: w, b: b, stride: Pair(stride), pad: .pair(Pair(pad)), activation: .identity,
                      form: .plain, layout: .seed)
    }

    func measure(iterations n: Int) throws -> ShapeFigures {
        let layer = try layer()
        let off = Recording()
        off.isEnabled = false
        var plain: [Double] = [], disabled: [Double] = []
        _ = try layer.backward(try layer.forward(x))   // warm-up: first touches of the buffers
        // Interleaved, so that a busy moment of the machine hurts both alike.
        for _ in 0..<n {
            plain.append(try timed { _ = try layer.backward(try layer.forward(x)) })
            disabled.append(try timed { _ = try layer.backward(try layer.forward(x, recorder: off), recorder: off) })
        }
        let pool = try PoolingLayer(pool: Pair(2), stride: Pair(2))
        let pooledShape = try pool.forward(x).shape
        let ones = Tensor(shape: pooledShape, data: [Double](repeating: 1, count: pooledShape.reduce(1, *)))
        let pooled = try (0..<n).map { _ in try timed { _ = try pool.forward(x); _ = try pool.backward(ones) } }
        return ShapeFigures(shape: text, conv: median(plain), convDisabled: median(disabled), pool: median(pooled))
    }
}

struct ShapeFigures {
    var shape: String
    var conv, convDisabled, pool: Double
    var disabledOverhead: Double { convDisabled / conv - 1 }
}

/// Everything one run measured.
struct BenchReport {
    var shapes: [ShapeFigures] = []
    var recordEvents = 0, recordSeconds = 0.0, recordBytesPerEvent = 0.0, recordShape = ""
    var finishSeconds = 0.0, traceBytesPerEvent = 0.0
    var frameSeconds = 0.0
    var seekSeconds = 0.0, seekEvents = 0
    var lineageBuildSeconds = 0.0, lineageSeconds = 0.0, lineageWorstSeconds = 0.0
    var reachSeconds = 0.0, reachWorstSeconds = 0.0
    /// A live change with its first frame at 80×24 and at 160×48.
    var liveChangeSeconds = [Double.nan, .nan], liveChangeEvents = 0
    var firstFrameSeconds = 0.0
    var stepBytes = 0, repaintBytes = 0

    mutating func measureTraceAndFrames(iterations n: Int, recordShape shape: BenchShape) throws {
        try measureRecording(shape)
        try measureFrames(iterations: n)
        try measureSeek(iterations: n)
        try measureLineage(iterations: n)
        try measureLiveChange(iterations: n)
        try measureFirstFrame(iterations: min(n, 10))
        try measureTerminalBytes()
    }

    /// A full forward + backward trace of `shape` kept in a `Recording`: events per second of
    /// the whole traced run, and the bytes the recording holds per event; then the time to
    /// finish it into a `Trace` and the bytes the trace holds per event with its indexes and
    /// keyframes.
    mutating func measureRecording(_ shape: BenchShape) throws {
        let layer = try shape.layer()
        let recording = Recording(eventLimit: Int(Int32.max))
        recordSeconds = try timed {
            _ = try layer.backward(try layer.forward(shape.x, recorder: recording), recorder: recording)
        }
        recordEvents = recording.eventCount
        let held = recording.events.bytesReserved + Trace.tableBytes(recording.tensors)
        recordBytesPerEvent = Double(held) / Double(max(1, recordEvents))
        recordShape = shape.text
        var trace: Trace?
        finishSeconds = try timed { trace = try recording.finish() }
        traceBytesPerEvent = Double(trace?.bytesHeld ?? 0) / Double(max(1, recordEvents))
    }

    /// Building one frame of the first lesson at 160×48 and rendering it as plain text.
    mutating func measureFrames(iterations n: Int) throws {
        let board = try Bench.builtInBoard(0)
        var r = SplitMix64(seed: 11)
        let times = (0..<max(50, n)).map { _ in
            let step = r.int(below: board.stepCount)
            return timed { _ = TextRenderer.plain(board.frame(at: step, size: Bench.frameSize, options: ViewOptions())) }
        }
        frameSeconds = median(times)
    }

    /// `state(after:)` at random steps of a forward + backward trace of about a million events.
    mutating func measureSeek(iterations n: Int) throws {
        var r = SplitMix64(seed: 13)
        let trace = try Trace.record(Self.seekScenario(&r))
        seekEvents = trace.events.count
        var sink = 0.0
        let times = (0..<max(100, n)).map { _ in
            let step = r.int(below: trace.stepCount)
            return timed { sink += trace.state(after: step).values.first?.first ?? 0 }
        }
        seekSeconds = median(times) + (sink.isNaN ? 1 : 0)
    }

    /// The lineage of random cells of random tensors (value, steps, sources and uses) in a
    /// forward + backward trace of the shape `measureSeek` seeks in, after its indexes are built once.
    mutating func measureLineage(iterations n: Int) throws {
        var r = SplitMix64(seed: 17)
        let trace = try Trace.record(Self.seekScenario(&r))
        var lineage: Lineage?
        lineageBuildSeconds = timed { lineage = Lineage(trace) }
        guard let lineage else { return }
        var sink = 0
        let times = (0..<max(200, n)).map { _ in
            let t = r.int(below: trace.tensors.count)
            let cell = CellRef(TensorID(UInt16(t)), r.int(below: trace.tensors[t].shape.reduce(1, *)))
            return timed { sink += lineage.explain(cell).sources.count }
        }
        lineageSeconds = median(times) + (sink < 0 ? 1 : 0)
        lineageWorstSeconds = times.max() ?? .nan
        // What the inspector lights up: every cell of every tensor a cell comes from or goes to.
        let reach = (0..<max(200, n)).map { _ in
            let t = r.int(below: trace.tensors.count)
            let cell = CellRef(TensorID(UInt16(t)), r.int(below: trace.tensors[t].shape.reduce(1, *)))
            return timed { sink += lineage.reach(of: cell).uses.count }
        }
        reachSeconds = median(reach) + (sink < 0 ? 1 : 0)
        reachWorstSeconds = reach.max() ?? .nan
    }

    /// A live change in free play, as the player makes it: a `2,3,8,8` layer with four 3×3
    /// filters, forward and backward, recorded again with the stride one more (or one less,
    /// turn about), its storyboard built, the player put back in the same phase and its first
    /// frame composed, on the default terminal (80×24) and on a projector's (160×48).
    mutating func measureLiveChange(iterations n: Int) throws {
        let arguments = try FreePlayArguments.parse(["--op", "conv", "--shape", "2,3,8,8", "--filter", "4,3,3,3",
                                                     "--passes", "backward"])
        let live = LiveFreePlay(arguments: arguments, layout: nil)
        let board = try live.storyboard()
        liveChangeEvents = board.trace.events.count
        liveChangeSeconds = try [Size(width: 80, height: 24), Bench.frameSize].map { size in
            var model = PlayerModel(source: board, settings: PlayerSettings(startStep: board.stepCount / 2), live: live)
            model.terminalSize = size
            var sink = 0
            let times = try (0..<max(20, n)).map { k in
                try timed {
                    guard model.handle(key: .character(k % 2 == 0 ? "S" : "s")) == .redraw else {
                        throw Failure("the live change was refused: \(model.notice.map { "\($0)" } ?? "")")
                    }
                    sink += Screen.compose(model, size: size).line(0).count
                }
            }
            return median(times) + (sink < 0 ? 1 : 0)
        }
    }

    static func seekScenario(_ r: inout SplitMix64) -> Scenario {
        Scenario(operation: .conv, passes: .backward, x: r.tensor([4, 4, 16, 16]),
                 w: r.tensor([8, 4, 3, 3]), b: r.tensor([8]), pad: .pair(Pair(1)))
    }

    /// From starting `tatami bench --first-frame-probe` to reading its answer: process start,
    /// argument parsing, the first lesson read from the binary, recorded, one 160×48 frame built
    /// and rendered as plain text. The child itself needs no terminal.
    mutating func measureFirstFrame(iterations n: Int) throws {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var times: [Double] = []
        for _ in 0..<n {
            let child = Process()
            child.executableURL = exe
            child.arguments = ["bench", "--first-frame-probe"]
            let out = Pipe()
            child.standardOutput = out
            child.standardError = FileHandle.nullDevice
            let start = DispatchTime.now().uptimeNanoseconds
            try child.run()
            let answer = out.fileHandleForReading.readDataToEndOfFile()
            let end = DispatchTime.now().uptimeNanoseconds
            child.waitUntilExit()
            guard String(decoding: answer, as: UTF8.self) == "frame\n", child.terminationStatus == 0 else {
                throw Failure("the first-frame probe (\(exe.path) bench --first-frame-probe) did not draw a frame")
            }
            times.append(Double(end - start) / 1e9)
        }
        firstFrameSeconds = median(times)
    }

    /// What one step forward costs on the wire, against repainting the whole screen: every
    /// pair of consecutive steps of the first lesson, composed as the player shows them at 160×48.
    mutating func measureTerminalBytes() throws {
        let board = try Bench.builtInBoard(0)
        let screens = (0..<board.stepCount).map { step in
            Screen.compose(PlayerModel(source: board, settings: PlayerSettings(startStep: step)), size: Bench.frameSize)
        }
        for i in 1..<max(1, screens.count) {
            stepBytes += TerminalBytes.count(screens[i], after: screens[i - 1])
            repaintBytes += TerminalBytes.count(screens[i], after: nil)
        }
    }
}

/// The bytes a cell-diffing terminal writer sends for a frame: for each stretch of changed cells
/// (`Frame.changedRuns`, the diff the player and recordings use) a cursor move (`ESC[row;colH`),
/// a style change (`ESC[0;…m`) where the style differs from the last one written, and the
/// characters' UTF-8. With no previous frame: a clear and every cell. The same rule for both
/// sides, so the ratio is fair; curses may save a little more on either.
enum TerminalBytes {
    static func count(_ frame: Frame, after previous: Frame?) -> Int {
        var bytes = previous == nil ? 7 : 0   // ESC[H ESC[2J
        var style = ""
        for run in frame.changedRuns(from: previous) {
            bytes += 4 + digits(run.row + 1) + digits(run.columns.lowerBound + 1)
            for column in run.columns {
                let cell = frame[run.row, column]
                if cell.isContinuation { continue }
                let s = TextRenderer.sgr(cell.role, bold: cell.bold)
                if s != style { bytes += 4 + (s.isEmpty ? 0 : s.utf8.count + 1); style = s }
                bytes += String(cell.character).utf8.count
            }
        }
        return bytes
    }

    static func digits(_ n: Int) -> Int { String(n).count }
}

extension BenchReport {
    var json: String {
        func n(_ v: Double) -> String { v.isFinite ? String(format: "%.6g", v) : "null" }
        func shapeJSON(_ s: ShapeFigures) -> String {
            "{\"shape\":\"\(s.shape)\",\"conv_fwd_bwd_s\":\(n(s.conv)),\"maxpool_fwd_bwd_s\":\(n(s.pool))"
                + ",\"conv_disabled_recorder_s\":\(n(s.convDisabled)),\"disabled_recorder_overhead\":\(n(s.disabledOverhead))}"
        }
        var s = "{\"conv_fwd_bwd_s\":\(n(shapes[0].conv)),\"maxpool_fwd_bwd_s\":\(n(shapes[0].pool))"
        s += ",\"shapes\":[" + shapes.map(shapeJSON).joined(separator: ",") + "]"
        if recordEvents > 0 {
            s += ",\"record_shape\":\"\(recordShape)\",\"record_events\":\(recordEvents)"
            s += ",\"record_events_per_s\":\(n(Double(recordEvents) / recordSeconds))"
            s += ",\"record_bytes_per_event\":\(n(recordBytesPerEvent))"
            s += ",\"finish_s\":\(n(finishSeconds)),\"trace_bytes_per_event\":\(n(traceBytesPerEvent))"
            s += ",\"frame_s\":\(n(frameSeconds)),\"seek_s\":\(n(seekSeconds)),\"seek_trace_events\":\(seekEvents)"
            s += ",\"lineage_build_s\":\(n(lineageBuildSeconds)),\"lineage_s\":\(n(lineageSeconds)),\"lineage_worst_s\":\(n(lineageWorstSeconds))"
            s += ",\"inspect_reach_s\":\(n(reachSeconds)),\"inspect_reach_worst_s\":\(n(reachWorstSeconds))"
            s += ",\"live_change_s\":\(n(liveChangeSeconds[0])),\"live_change_160x48_s\":\(n(liveChangeSeconds[1]))"
            s += ",\"live_change_events\":\(liveChangeEvents)"
            s += ",\"first_frame_s\":\(n(firstFrameSeconds))"
            s += ",\"step_bytes\":\(stepBytes),\"repaint_bytes\":\(repaintBytes)"
            s += ",\"step_bytes_ratio\":\(n(Double(stepBytes) / Double(max(1, repaintBytes))))"
        }
        return s + "}"
    }

    var table: String {
        func ms(_ v: Double) -> String { String(format: "%9.3f ms", v * 1000) }
        var lines = ["figure                                             median"]
        for f in shapes {
            lines.append("conv forward+backward \(f.shape.padding(toLength: 28, withPad: " ", startingAt: 0))\(ms(f.conv))")
            lines.append("  same, disabled recorder attached                \(ms(f.convDisabled))  (\(String(format: "%+.1f", f.disabledOverhead * 100)) %)")
            lines.append("  max pool 2×2 forward+backward                   \(ms(f.pool))")
        }
        if recordEvents > 0 {
            lines.append("recording \(recordShape), \(recordEvents) events: \(String(format: "%.1f", Double(recordEvents) / recordSeconds / 1e6)) M events/s, \(String(format: "%.1f", recordBytesPerEvent)) bytes/event kept")
            lines.append("  finished into a trace in \(String(format: "%.3f", finishSeconds)) s, \(String(format: "%.1f", traceBytesPerEvent)) bytes/event with indexes and keyframes")
            lines.append("frame 160×48 built + plain text                   \(ms(frameSeconds))")
            lines.append("seek, trace of \(seekEvents) events             \(ms(seekSeconds))")
            lines.append("lineage of a cell, a trace of that size             \(ms(lineageSeconds))")
            lines.append("  slowest cell \(ms(lineageWorstSeconds).trimmingCharacters(in: .whitespaces)), indexes built once in \(String(format: "%.3f", lineageBuildSeconds)) s")
            lines.append("inspector's cells of a cell, every tensor            \(ms(reachSeconds))")
            lines.append("  slowest cell \(ms(reachWorstSeconds).trimmingCharacters(in: .whitespaces))")
            lines.append("live change, re-recorded + first frame 80×24          \(ms(liveChangeSeconds[0]))")
            lines.append("  2,3,8,8 and four 3×3 filters, fwd+bwd, \(liveChangeEvents) events; at 160×48 \(ms(liveChangeSeconds[1]).trimmingCharacters(in: .whitespaces))")
            lines.append("process start to first frame                      \(ms(firstFrameSeconds))")
            lines.append("one step forward: \(stepBytes) bytes vs \(repaintBytes) repainting (\(String(format: "%.1f", 100 * Double(stepBytes) / Double(max(1, repaintBytes)))) %)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Seconds one call of `body` takes, on the monotonic clock.
func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The bench's draws: every run measures the same numbers.
extension SplitMix64 {
    mutating func int(below n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    mutating func tensor(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in Double(next() >> 11) / Double(1 << 53) * 2 - 1 })
    }
}
