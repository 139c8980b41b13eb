import ArgumentParser
import FERData
import FERExperiments
import Foundation

/// `ferlab cv`: leave-one-subject-group-out cross-validation of one configuration.
struct CrossValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cv", abstract: "Cross-validate one configuration over the subject-group folds.")

  @OptionGroup var data: DataOptions
  @OptionGroup var model: ModelOptions
  @OptionGroup var training: TrainingOptions
  @Flag(help: "Print results as JSON.") var json = false

  func run() throws {
    let progress = ProgressReporter()
    let config = try training.config()
    let dataset = try data.load(motion: needsMotion(try model.resolve(inputSize: nil)), progress: progress)
    let spec = try model.resolve(inputSize: dataset.size)
    let result = try crossValidate(
      dataset: dataset, folds: try data.subjectFolds(dataset), spec: spec, config: config, modelSeed: model.modelSeed
    ) { event in
      switch event {
      case .foldStarted(let fold, let of, _): progress.note("fold \(fold + 1)/\(of)")
      case .training(_, let e): progress.training(e, prefix: "  ")
      case .foldFinished(let f): progress.note("  fold \(f.fold + 1): test accuracy \(percent(f.accuracy)) %")
      }
    }
    if json { return try Output.json(result) }
    Output.table(ResultTable(
      header: ["fold", "test subjects", "accuracy %", "macro-F1"],
      rows: result.folds.map { [String($0.fold + 1), $0.testSubjects.joined(separator: " "), percent($0.accuracy), String(format: "%.3f", $0.confusion.macroF1)] }))
    print("\nmean accuracy \(percent(result.meanAccuracy)) ± \(percent(result.accuracyStandardDeviation)) %, "
      + "UAR \(percent(result.meanUnweightedAverageRecall)) %, macro-F1 \(String(format: "%.3f", result.meanMacroF1))")
    print("per-class accuracy (all folds): " + Output.perClassAccuracy(result.confusion))
    Output.confusion(result.confusion, labels: Emotion.allCases.map(\.name))
  }
}
