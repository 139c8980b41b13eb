import ArgumentParser

/// `ferlab cv`: the workspace's `cv`, headless.
struct CrossValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cv", abstract: "Cross-validate one configuration over the subject-group folds (leave one group out).",
    discussion: """
      Runs the `set` lines of the settings given, `load` and `cv` in a headless workspace.

      \(settingsHelp)
      """)

  @OptionGroup var experiment: ExperimentOptions

  func run() throws {
    try experiment.run(["cv"])
  }
}
