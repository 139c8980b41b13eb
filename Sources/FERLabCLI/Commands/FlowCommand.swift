import ArgumentParser
import FERWorkspace

/// `ferlab flow`: the workspace's `flow`, headless.
struct FlowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flow",
    abstract: "Measure ‖∂L/∂h_t‖ per time step, layer and path at initialisation: the conventional cell vs the switches as set.",
    discussion: """
      Runs the `set` lines of the settings given, `load` and `flow` in a headless workspace: one clip \
      per class, resampled to --frames T steps. With --checkpoint the trained model is measured too \
      (`open CHECKPOINT` before `flow`).

      \(settingsHelp)
      """)

  @OptionGroup var experiment: ExperimentOptions
  @Option(help: "A checkpoint to measure beside the fresh cells.") var checkpoint: String?
  @Flag(help: "Measure all eight switch combinations instead of the conventional cell and the switches as set.")
  var grid = false

  func run() throws {
    try experiment.run((checkpoint.map { ["open \(Words.quoted($0))"] } ?? []) + [grid ? "flow grid" : "flow"], main: checkpoint == nil ? 0 : 1)
  }
}
