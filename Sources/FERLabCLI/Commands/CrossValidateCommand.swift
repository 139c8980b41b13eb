import ArgumentParser

/// `ferlab cv`: the workspace's `cv`, headless.
struct CrossValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cv", abstract: "Cross-validate one configuration over the subject-group folds (leave one group out).",
    discussion: """
      Runs the `set` lines of the settings given, `load` and `cv` (`cv seeds=N` with --seeds) in a headless \
      workspace: every fold trained and tested, N times with N seeds; the mean accuracy and macro-F1 with their \
      95 % t-intervals.

      \(settingsHelp)
      """)

  @OptionGroup var experiment: ExperimentOptions
  @Option(help: "Repeat every fold with this many initialisation and shuffling seeds.") var seeds: Int = 1

  func run() throws {
    try experiment.run([seeds == 1 ? "cv" : "cv seeds=\(seeds)"])
  }
}
