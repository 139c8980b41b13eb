import ArgumentParser
import FERData
import FERExperiments
import FERModels
import Foundation

/// `ferlab train`: one model on one fold's training subjects, tested on the fold's group.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train", abstract: "Train a model on one fold and test it on that fold's subject group.")

  @OptionGroup var data: DataOptions
  @OptionGroup var model: ModelOptions
  @OptionGroup var training: TrainingOptions
  @Option(help: "The fold whose subject group is held out for testing.") var fold: Int = 0
  @Option(help: "Write the trained model as a checkpoint (safetensors).") var out: String?
  @Flag(help: "Print results as JSON.") var json = false

  func run() throws {
    let progress = ProgressReporter()
    let config = try training.config()
    let preview = try model.resolve(inputSize: nil)
    let dataset = try data.load(motion: needsMotion(preview), progress: progress)
    let spec = try model.resolve(inputSize: dataset.size)
    let result = try crossValidate(
      dataset: dataset, folds: try data.subjectFolds(dataset), spec: spec, config: config, modelSeed: model.modelSeed,
      only: [fold], keepModel: out.map { URL(fileURLWithPath: $0) }
    ) { event in
      if case .training(_, let e) = event { progress.training(e) }
    }
    guard let outcome = result.folds.first else { return }
    if json { return try Output.json(outcome) }
    print("fold \(fold) (test subjects \(outcome.testSubjects.joined(separator: ", "))): \(outcome.stop.summary)")
    print("test accuracy \(percent(outcome.accuracy)) %, macro-F1 \(String(format: "%.3f", outcome.confusion.macroF1))")
    Output.confusion(outcome.confusion, labels: Emotion.allCases.map(\.name))
    if let out { print("checkpoint: \(out)") }
  }
}
