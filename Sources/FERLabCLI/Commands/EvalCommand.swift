import ArgumentParser
import FERWorkspace

/// `ferlab eval`: a checkpoint through the workspace's `open` and `eval`, headless.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate a checkpoint: accuracy, per-class accuracy, macro-F1, UAR and the confusion matrix.",
    discussion: """
      Runs the `set` lines of the settings given, `load`, `open CHECKPOINT` and `eval` (`eval all` with \
      --all) in a headless workspace. By default the clips of one fold's test subjects: with the same \
      --data, --seed, --folds and --fold as `ferlab train --out`, the subjects the checkpoint never saw.

      \(settingsHelp)
      """)

  @OptionGroup var experiment: ExperimentOptions
  @Option(help: "A trained checkpoint (safetensors with its spec).") var checkpoint: String
  @Flag(help: "Evaluate on every clip of the dataset instead of one fold's test subjects.") var all = false

  func run() throws {
    try experiment.run(["open \(Words.quoted(checkpoint))", all ? "eval all" : "eval"], main: 1)
  }
}
