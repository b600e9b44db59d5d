import ArgumentParser
import Engine
import Foundation
import NPY

/// `tatami compute conv2d`: the seed's `ConvLayer` forward (and backward, given `--dy`).
struct ComputeConv2D: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv2d",
        abstract: "Convolve x with w (and b); write y.npy, and dx/dw/db.npy given --dy.",
        discussion: "y is written before any activation (the identity). Without --b the bias is zero."
    )

    @Option(help: ArgumentHelp("The input, shape (B, C, H, W).", valueName: "x.npy")) var x: String
    @Option(help: ArgumentHelp("The filters, shape (M, C, FH, FW).", valueName: "w.npy")) var w: String
    @Option(help: ArgumentHelp("The bias, shape (M,) (or the article's (M, 1)).", valueName: "b.npy")) var b: String?
    // Numbers are taken unconditionally, so that `--pad -1` reaches `validate()`.
    @Option(parsing: .unconditional, help: ArgumentHelp("The stride.", valueName: "S|SH,SW"))
    var stride = PairArgument(argument: "1")
    @Option(parsing: .unconditional, help: ArgumentHelp("The padding (same: the article's formula).", valueName: "P|PH,PW|same"))
    var pad = PaddingArgument(argument: "0")
    @Option(parsing: .unconditional, help: ArgumentHelp("The dilation.", valueName: "D|DH,DW"))
    var dilation = PairArgument(argument: "1")
    @Option(help: ArgumentHelp("The gradient of y, shape (B, M, OH, OW).", valueName: "dy.npy")) var dy: String?
    @Option(help: ArgumentHelp("The directory to write into.", valueName: "dir")) var out: String

    func validate() throws {
        _ = try stride.value("--stride", atLeast: 1, example: "2 or 2,1")
        _ = try pad.value()
        _ = try dilation.value("--dilation", atLeast: 1, example: "2 or 2,1")
    }

    func run() throws {
        try reportingErrors {
            let stride = try self.stride.value("--stride", atLeast: 1, example: "2 or 2,1")
            let pad = try self.pad.value()
            let dilation = try self.dilation.value("--dilation", atLeast: 1, example: "2 or 2,1")
            try ComputeFiles.checkOut(out)
            let x = try ComputeFiles.read4(self.x, role: "the input x (B, C, H, W)")
            let w = try ComputeFiles.read4(self.w, role: "the filters w (M, C, FH, FW)")
            guard x.shape[1] == w.shape[1] else {
                throw Failure("\(self.x) has shape \(shapeText(x.shape)) with \(channels(x.shape[1])), but \(self.w) has shape \(shapeText(w.shape)), filters for \(channels(w.shape[1]))")
            }
            let m = w.shape[0]
            let bias = try self.b.map { try Self.readBias($0, filters: m, w: self.w, wShape: w.shape) }
                ?? Tensor(zeros: [m])
            let resolved = try resolvePadding(pad, input: Pair(x.shape[2], x.shape[3]),
                                              filter: Pair(w.shape[2], w.shape[3]),
                                              stride: stride, dilation: dilation)
            // Every size is checked here, before the layer allocates anything.
            _ = try ConvGeometry(input: x.shape, filter: w.shape, stride: stride, pad: resolved, dilation: dilation)
            let layer = try ConvLayer(w: w, b: bias, stride: stride, pad: .pair(resolved), dilation: dilation)
            let y = try layer.forward(x)
            var outputs: [(name: String, tensor: Tensor)] = [("y.npy", y)]
            if let dyPath = self.dy {
                let dy = try ComputeFiles.readGradient(dyPath, like: y)
                let dx = try layer.backward(dy)
                outputs += [("dx.npy", dx), ("dw.npy", layer.gradW), ("db.npy", layer.gradB)]
            }
            try ComputeFiles.write(outputs, to: out, family: ["y.npy", "dx.npy", "dw.npy", "db.npy"])
        }
    }

    private func channels(_ n: Int) -> String { n == 1 ? "1 channel" : "\(n) channels" }

    /// The bias as `(M,)`; the seed's plain form keeps it as `(M, 1)`, which is accepted too.
    private static func readBias(_ path: String, filters m: Int, w: String, wShape: [Int]) throws -> Tensor {
        let b = try NPY.read(path: path)
        guard b.shape == [m] || b.shape == [m, 1] else {
            throw Failure("\(path) has shape \(shapeText(b.shape)), but \(w) has shape \(shapeText(wShape)), so the bias must have shape (\(m),)")
        }
        return Tensor(shape: [m], data: b.data)
    }
}

/// `tatami compute maxpool` and `avgpool`: the seed's `PoolingLayer`.
enum ComputePool {
    struct Options: ParsableArguments {
        @Option(help: ArgumentHelp("The input, shape (B, C, H, W).", valueName: "x.npy")) var x: String
        @Option(parsing: .unconditional, help: ArgumentHelp("The window.", valueName: "P|PH,PW"))
        var pool: PairArgument
        @Option(parsing: .unconditional, help: ArgumentHelp("The stride (default: the window).", valueName: "S|SH,SW"))
        var stride: PairArgument?
        @Option(parsing: .unconditional, help: ArgumentHelp("The padding, zeros.", valueName: "P|PH,PW"))
        var pad = PairArgument(argument: "0")
        @Option(help: ArgumentHelp("The gradient of y, shape (B, C, OH, OW).", valueName: "dy.npy")) var dy: String?
        @Option(help: ArgumentHelp("The directory to write into.", valueName: "dir")) var out: String

        func validate() throws { _ = try parsed() }

        func parsed() throws -> (pool: Pair, stride: Pair, pad: Pair) {
            let pool = try self.pool.value("--pool", atLeast: 1, example: "2 or 2,3")
            let stride = try self.stride?.value("--stride", atLeast: 1, example: "2 or 2,1") ?? pool
            return (pool, stride, try pad.value("--pad", atLeast: 0, example: "1 or 1,0"))
        }
    }

    struct Max: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "maxpool",
            abstract: "Max-pool x; write y.npy and argmax.npy, and dx.npy given --dy.",
            discussion: "argmax.npy holds the flat index inside each window (row-major; ties go to the first maximum), as float64."
        )
        @OptionGroup var options: Options
        func run() throws { try reportingErrors { try ComputePool.run(options, mode: .max) } }
    }

    struct Average: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "avgpool",
            abstract: "Average-pool x; write y.npy, and dx.npy given --dy."
        )
        @OptionGroup var options: Options
        func run() throws { try reportingErrors { try ComputePool.run(options, mode: .average) } }
    }

    static func run(_ o: Options, mode: PoolMode) throws {
        let (pool, stride, pad) = try o.parsed()
        try ComputeFiles.checkOut(o.out)
        let x = try ComputeFiles.read4(o.x, role: "the input x (B, C, H, W)")
        _ = try ConvGeometry(input: x.shape, filters: x.shape[1], window: pool, stride: stride, pad: pad)
        let layer = try PoolingLayer(pool: pool, stride: stride, pad: pad, mode: mode)
        let y = try layer.forward(x)
        var outputs: [(name: String, tensor: Tensor)] = [("y.npy", y)]
        if mode == .max { outputs.append(("argmax.npy", layer.argmax)) }
        if let dyPath = o.dy {
            let dy = try ComputeFiles.readGradient(dyPath, like: y)
            outputs.append(("dx.npy", try layer.backward(dy)))
        }
        try ComputeFiles.write(outputs, to: o.out, family: mode == .max ? ["y.npy", "argmax.npy", "dx.npy"] : ["y.npy", "dx.npy"])
    }
}

/// Options shared by `im2col` and `col2im`: the window and how it slides.
struct ComputeWindowOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("The filter's height and width.", valueName: "FH,FW"))
    var filter: PairArgument
    @Option(parsing: .unconditional, help: ArgumentHelp("The stride.", valueName: "S|SH,SW"))
    var stride = PairArgument(argument: "1")
    @Option(parsing: .unconditional, help: ArgumentHelp("The padding.", valueName: "P|PH,PW"))
    var pad = PairArgument(argument: "0")
    @Option(parsing: .unconditional, help: ArgumentHelp("The dilation.", valueName: "D|DH,DW"))
    var dilation = PairArgument(argument: "1")
    @Option(help: ArgumentHelp("seed: (C·FH·FW, B·OH·OW); rows: (B·OH·OW, C·FH·FW).", valueName: "seed|rows"))
    var layout = Word(ColumnLayout.seed)

    struct Parsed {
        var filter, stride, pad, dilation: Pair
        var layout: ColumnLayout
    }

    func validate() throws { _ = try parse() }

    func parse() throws -> Parsed {
        Parsed(filter: try filter.value("--filter", atLeast: 1, example: "3,3"),
               stride: try stride.value("--stride", atLeast: 1, example: "2 or 2,1"),
               pad: try pad.value("--pad", atLeast: 0, example: "1 or 1,0"),
               dilation: try dilation.value("--dilation", atLeast: 1, example: "2 or 2,1"),
               layout: try layout.value("--layout"))
    }
}

/// `tatami compute im2col`: the seed's `im2col`, one column per filter placement.
struct ComputeIm2col: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "im2col",
        abstract: "Unfold x into the im2col matrix; write cols.npy."
    )
    @Option(help: ArgumentHelp("The input, shape (B, C, H, W).", valueName: "x.npy")) var x: String
    @OptionGroup var window: ComputeWindowOptions
    @Option(help: ArgumentHelp("The directory to write into.", valueName: "dir")) var out: String

    func run() throws {
        try reportingErrors {
            let p = try window.parse()
            try ComputeFiles.checkOut(out)
            let x = try ComputeFiles.read4(self.x, role: "the input x (B, C, H, W)")
            _ = try ConvGeometry(input: x.shape, filters: 1, window: p.filter, stride: p.stride, pad: p.pad, dilation: p.dilation)
            let cols = try im2col(x, filter: p.filter, stride: p.stride, pad: p.pad, dilation: p.dilation, layout: p.layout)
            try ComputeFiles.write([("cols.npy", cols)], to: out, family: ["cols.npy"])
        }
    }
}

/// `tatami compute col2im`: the adjoint of im2col, adding where windows overlap.
struct ComputeCol2im: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "col2im",
        abstract: "Fold an im2col matrix back into an image, adding overlaps; write x.npy."
    )
    @Option(help: ArgumentHelp("The matrix, shape (C·FH·FW, B·OH·OW) in the article's layout (--layout seed).", valueName: "cols.npy")) var cols: String
    @Option(parsing: .unconditional, help: ArgumentHelp("The image's shape.", valueName: "B,C,H,W"))
    var shape: ShapeArgument
    @OptionGroup var window: ComputeWindowOptions
    @Option(help: ArgumentHelp("The directory to write into.", valueName: "dir")) var out: String

    func validate() throws { _ = try shape.value("--shape", axes: ShapeArgument.inputAxes) }

    func run() throws {
        try reportingErrors {
            let p = try window.parse()
            let shape = try self.shape.value("--shape", axes: ShapeArgument.inputAxes)
            try ComputeFiles.checkOut(out)
            let geometry = try ConvGeometry(input: shape, filters: 1, window: p.filter, stride: p.stride, pad: p.pad, dilation: p.dilation)
            let cols = try NPY.read(path: self.cols)
            let expected = geometry.columnShape(p.layout)
            guard cols.shape == expected else {
                throw Failure("\(self.cols) has shape \(shapeText(cols.shape)), but --shape \(self.shape.text) with --filter \(window.filter.text) needs \(shapeText(expected)) in the \(p.layout.rawValue) layout")
            }
            let x = try col2im(cols, inputShape: shape, filter: p.filter, stride: p.stride, pad: p.pad, dilation: p.dilation, layout: p.layout)
            try ComputeFiles.write([("x.npy", x)], to: out, family: ["x.npy"])
        }
    }
}
