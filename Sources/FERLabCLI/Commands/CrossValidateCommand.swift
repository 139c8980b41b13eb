import ArgumentParser

/// `ferlab cv`: the workspace's `cv`, headless.
struct CrossValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cv", abstract: "Cross-validate one configuration over the subject-group folds (leave one group out).",
    discussion: """
      Runs the `set` lines of the settings given, `load` and `cv` (`cv seeds=N` with --seeds) in a headless \
      workspace: every fold trained and tested, N times with N seeds; the mean accuracy and macro-F1 with their \
      95 % t-intervals.

      With --engine local|slurm and --results DIR the cells run as separate processes or Slurm tasks, each \
      writing its events to DIR; the table they make is the sequential one, bit for bit (`ferlab collect DIR` \
      merges and prints it; --resume DIR runs the failed and missing cells again).

      \(settingsHelp)
      """)

  @OptionGroup var experiment: ExperimentOptions
  @OptionGroup(title: "Running the cells elsewhere") var cluster: GridOptions
  @Option(help: "Repeat every fold with this many initialisation and shuffling seeds.") var seeds: Int = 1

  func run() throws {
    let line = seeds == 1 ? "cv" : "cv seeds=\(seeds)"
    try cluster.distributes ? cluster.run(line, experiment: experiment) : experiment.run([line])
  }
}
