import ArgumentParser

/// The `tatami` command: plays, renders and checks lessons, and computes layers on `.npy` files.
public struct Tatami: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tatami",
        abstract: "Step through im2col convolution and max pooling, the way the article 深層学習入門 ~畳み込みとプーリング編~ computes them.",
        version: "0.1.0",
        subcommands: [Play.self, Render.self, TraceCommand.self, Compute.self, Check.self, List.self, Bench.self, Record.self],
        defaultSubcommand: Play.self
    )
    public init() {}
}
