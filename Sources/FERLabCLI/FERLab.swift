import ArgumentParser

/// `ferlab`: the command-line entry point. Argument parsing only; the work lives in the libraries.
@main
struct FERLab: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ferlab",
    abstract: "A terminal lab for facial-expression recognition from video with Enhanced ConvLSTM.",
    version: FERLabVersion.current,
    subcommands: [ExploreCommand.self, ForwardCommand.self, RunCommand.self, ReplayCommand.self],
    defaultSubcommand: ExploreCommand.self)
}

enum FERLabVersion {
  static let current = "0.1.0"
}
