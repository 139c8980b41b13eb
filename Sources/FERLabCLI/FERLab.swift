import ArgumentParser

import FERCore

/// The process entry: allocator set-up, then argument parsing.
@main
enum Entry {
  static func main() {
    Allocator.keepLargeBlocks()
    FERLab.main()
  }
}

/// `ferlab`: the command-line entry point. The work lives in the libraries; the experiment subcommands run workspace commands.
struct FERLab: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ferlab",
    abstract: "A terminal lab for facial-expression recognition from video with Enhanced ConvLSTM.",
    version: FERLabVersion.current,
    subcommands: [
      ExploreCommand.self, TrainCommand.self, EvalCommand.self, CrossValidateCommand.self, AblateCommand.self, FlowCommand.self,
      PredictCommand.self, ForwardCommand.self, SynthCommand.self, PrepareCommand.self, RunCommand.self, ReplayCommand.self,
      CollectCommand.self, GridWorkerCommand.self,
    ],
    defaultSubcommand: ExploreCommand.self)
}
