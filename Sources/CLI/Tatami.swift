import ArgumentParser

/// The `tatami` command: plays, renders and checks lessons, and computes layers on `.npy` files.
public struct Tatami: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tatami",
        abstract: "Step through im2col convolution and max pooling, the way the article 深層学習入門 ~畳み込みとプーリング編~ computes them.",
        version: "0.1.0",
        subcommands: [Play.self, Render.self, TraceCommand.self, Compute.self, Check.self, List.self, Bench.self, Record.self, Explain.self,
                      Export.self, Practice.self, Report.self],
        defaultSubcommand: Play.self
    )
    public init() {}

    /// Parses the command line and runs the command. A command line tatami refuses — argument-
    /// parser's own refusals and the commands' `ValidationError`s alike — is one sentence on
    /// stderr, `tatami: <sentence>.`, and exit code 64, from every command, as any other refusal
    /// is one sentence with exit code 1; argument-parser would add the whole usage text, which
    /// for the commands with free play runs to a screenful and buries the sentence.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ExitCode {
            exit(withError: error)
        } catch where exitCode(for: error) == .validationFailure {
            printError(sentence(message(for: error)))
            exit(withError: ExitCode.validationFailure)
        } catch {
            exit(withError: error)
        }
    }
}
