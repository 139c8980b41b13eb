import ArgumentParser
import FERWorkspace

/// `ferlab train`: the workspace's `train` on one fold, headless.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train", abstract: "Train a model on one fold and test it on that fold's subject group.",
    discussion: """
      Runs the `set` lines of the settings given, `load` and `train` in a headless workspace: the same \
      numbers and text as those lines in a script or in the explorer. --fold K (0-based) picks the fold.

      \(settingsHelp)
      """)

  @OptionGroup var experiment: ExperimentOptions
  @Option(help: "Write the trained model as a checkpoint (safetensors with its spec), as `save PATH` does.")
  var out: String?

  func run() throws {
    try experiment.run(["train"] + (out.map { ["save \(Words.quoted($0))"] } ?? []))
  }
}
