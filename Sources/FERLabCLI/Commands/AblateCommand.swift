import ArgumentParser
import FERWorkspace

/// `ferlab ablate`: the workspace's `ablate`, headless.
struct AblateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ablate",
    abstract: "Cross-validate the ablation grid: the seed's rows (a)–(e) and CNN+LSTM, or a switch grid.",
    discussion: """
      Runs the `set` lines of the settings given, `load` and `ablate GRID` in a headless workspace. \
      seed: Table I's rows and the CNN+LSTM baseline; skips: temporal × spatial skip on the current \
      streams; switches: all eight combinations of the three switches.

      \(settingsHelp)
      """)

  @OptionGroup var experiment: ExperimentOptions
  @Option(help: "Which rows: \(AblationChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
  var grid: String = AblationChoice.seed.rawValue

  func run() throws {
    try experiment.run(["ablate \(grid)"])
  }
}
