import ArgumentParser
import FERData
import FERExperiments
import FERModels
import Foundation

/// `ferlab eval`: a saved model on one fold's test subjects, or on every clip.
struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate a checkpoint: accuracy, per-class accuracy, macro-F1, UAR and the confusion matrix.",
    discussion: """
      By default the clips of one fold's test subjects: with the same --folds, --fold-seed and --fold \
      as `ferlab train --out`, these are the subjects the checkpoint never saw.
      """)

  @OptionGroup var data: DataOptions
  @Option(help: "A trained checkpoint (safetensors with its spec).") var checkpoint: String
  @Option(help: "The fold whose subject group is evaluated.") var fold: Int = 0
  @Flag(help: "Evaluate on every clip of the dataset instead of one fold's test subjects.") var all = false
  @Flag(help: "Print results as JSON.") var json = false

  func run() throws {
    let progress = ProgressReporter()
    let model = try Checkpoint.load(from: URL(fileURLWithPath: checkpoint))
    let side = try data.syntheticSpec().size
    if side != model.spec.inputSize {
      throw ValidationError(
        "\(checkpoint) takes \(model.spec.inputSize)×\(model.spec.inputSize) clips; the \(data.synthetic) synthetic set has \(side)×\(side): evaluate on the set it was trained on")
    }
    let dataset = try data.load(motion: needsMotion(model.spec), progress: progress)
    var subjects = dataset.subjects
    var indices = Array(dataset.clips.indices)
    if !all {
      let split = try data.subjectFolds(dataset).split(fold: fold)
      subjects = split.test
      indices = split.clipIndices(in: dataset).test
    }
    let result = try evaluate(model, on: indices.map { dataset.clips[$0] })
    let report = EvaluationReport(subjects: subjects, clips: indices.count, evaluation: result)
    if json { return try Output.json(report) }
    print("\(all ? "all subjects" : "fold \(fold) (test subjects \(subjects.joined(separator: ", ")))"): \(indices.count) clips")
    print(
      "accuracy \(percent(result.accuracy)) %, macro-F1 \(String(format: "%.3f", result.confusion.macroF1)), "
        + "UAR \(percent(result.confusion.unweightedAverageRecall)) %, loss \(String(format: "%.4f", result.loss))")
    print("per class: " + Output.perClassAccuracy(result.confusion))
    Output.confusion(result.confusion, labels: Emotion.allCases.map(\.name))
  }
}

/// What `ferlab eval --json` prints.
struct EvaluationReport: Encodable {
  let subjects: [String]
  let clips: Int
  let accuracy: Double
  let macroF1: Double
  let unweightedAverageRecall: Double
  let loss: Double
  /// Per class in the order of `Emotion`; nil for a class with no clips.
  let perClassAccuracy: [Double?]
  let confusion: ConfusionMatrix

  init(subjects: [String], clips: Int, evaluation: Evaluation) {
    self.subjects = subjects
    self.clips = clips
    accuracy = evaluation.accuracy
    macroF1 = evaluation.confusion.macroF1
    unweightedAverageRecall = evaluation.confusion.unweightedAverageRecall
    loss = evaluation.loss
    perClassAccuracy = evaluation.confusion.perClassAccuracy
    confusion = evaluation.confusion
  }
}
