import ArgumentParser
import FERWorkspace

/// `ferlab ablate`: the workspace's `ablate`, headless.
struct AblateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ablate",
    abstract: "Cross-validate the ablation grid: the seed's rows (a)–(e) and CNN+LSTM, or a switch grid.",
    discussion: """
      Runs the `set` lines of the settings given, `load` and `ablate GRID` (`ablate GRID seeds=N` with \
      --seeds) in a headless workspace. seed: Table I's rows and the CNN+LSTM baseline; skips: temporal × \
      spatial skip on the current streams; switches: all eight combinations of the three switches. Every \
      (row, fold, seed) cell trains a fresh model; each row reports its mean accuracy and macro-F1 with 95 % \
      t-intervals, and pairs of rows their paired difference with its interval and a paired t-test's p-value.

      With --engine local|slurm and --results DIR the cells run as separate processes or Slurm tasks, each \
      writing its events to DIR; the table they make is the sequential one, bit for bit (`ferlab collect DIR` \
      merges and prints it; --resume DIR runs the failed and missing cells again).

      \(settingsHelp)
      """)

  @OptionGroup var experiment: ExperimentOptions
  @OptionGroup(title: "Running the cells elsewhere") var cluster: GridOptions
  @Option(help: "Which rows: \(AblationChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
  var grid: String = AblationChoice.seed.rawValue
  @Option(help: "Repeat every (row, fold) cell with this many initialisation and shuffling seeds.") var seeds: Int = 1

  func run() throws {
    let line = "ablate \(grid)" + (seeds == 1 ? "" : " seeds=\(seeds)")
    try cluster.distributes ? cluster.run(line, experiment: experiment) : experiment.run([line])
  }
}
