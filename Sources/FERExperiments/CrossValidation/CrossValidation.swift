import FERCore
import FERData
import FERModels
import Foundation

// Leave-one-subject-group-out cross-validation (the seed's protocol): for each
// fold, a fresh model is trained on the other groups' subjects (a share of them
// held out for validation and early stopping) and tested on the fold's group.

/// One fold's outcome.
public struct FoldResult: Codable, Sendable, Equatable {
  public let fold: Int
  public let testSubjects: [String]
  public let history: [EpochRecord]
  public let stop: StopReason
  public let confusion: ConfusionMatrix
  /// FNV-1a 64 of the trained weights, for replay checks.
  public let weightsChecksum: UInt64

  public var accuracy: Double { confusion.accuracy }
}

/// All folds and their summary.
public struct CrossValidationResult: Codable, Sendable, Equatable {
  public let folds: [FoldResult]

  public var accuracies: [Double] { folds.map(\.accuracy) }
  public var meanAccuracy: Double { Statistics.mean(accuracies) }
  public var accuracyStandardDeviation: Double { Statistics.standardDeviation(accuracies) }
  /// Counts summed over the folds' test sets.
  public var confusion: ConfusionMatrix {
    var total = ConfusionMatrix(classes: folds.first?.confusion.classes ?? 1)
    for f in folds { total.merge(f.confusion) }
    return total
  }
  public var meanMacroF1: Double { Statistics.mean(folds.map(\.confusion.macroF1)) }
  public var meanUnweightedAverageRecall: Double { Statistics.mean(folds.map(\.confusion.unweightedAverageRecall)) }
}

/// Events of a cross-validation run.
public enum CrossValidationEvent: Sendable {
  case foldStarted(fold: Int, of: Int, testSubjects: [String])
  case training(fold: Int, TrainingEvent)
  case foldFinished(FoldResult)
}

/// Runs every fold (or the given ones), each through `trainFold`; `control` can stop the
/// whole run between steps. With `keepModel`, each fold's trained model (the best epoch's
/// weights when validating) is saved there as a checkpoint; with several folds the file
/// name gets a "-fold<k>" suffix.
public func crossValidate(
  dataset: Dataset, folds: SubjectFolds, spec: ModelSpec, config: TrainingConfig, modelSeed: UInt64,
  only: [Int]? = nil, keepModel: URL? = nil, control: TrainingControl = TrainingControl(),
  events: (CrossValidationEvent) -> Void = { _ in }
) throws -> CrossValidationResult {
  var results: [FoldResult] = []
  let chosen = only ?? Array(0..<folds.groupCount)
  for fold in chosen {
    let (result, model, _) = try trainFold(
      fold, dataset: dataset, folds: folds, spec: spec, config: config, modelSeed: modelSeed, control: control,
      events: events)
    if let keepModel {
      let name = keepModel.deletingPathExtension().lastPathComponent + (chosen.count == 1 ? "" : "-fold\(fold)")
      try Checkpoint.save(model, to: keepModel.deletingLastPathComponent().appendingPathComponent(name + ".safetensors"))
    }
    results.append(result)
    if result.stop == .stoppedByUser { break }
  }
  return CrossValidationResult(folds: results)
}

/// The training, validation and test subjects of `fold`: the fold's group is tested, and
/// `config.validationFraction` of the other subjects (at least none, at most all but one)
/// validate.
public func foldSplit(_ fold: Int, folds: SubjectFolds, config: TrainingConfig) throws -> FoldSplit {
  let trainingSubjects = folds.subjects.count - folds.groups[fold].count
  let held = min(Int((config.validationFraction * Double(trainingSubjects)).rounded()), trainingSubjects - 1)
  return try folds.split(fold: fold, validationCount: max(held, 0))
}

/// One cell of every experiment: a fresh model for `fold`, initialised from `modelSeed + fold`
/// and shuffled from `config.seed + fold`, trained on the fold's training subjects and tested
/// on its group. `train` in the workspace and on the command line, `cv` and `ablate` all
/// train through here, so fold k's numbers are the same whichever ran it.
public func trainFold(
  _ fold: Int, dataset: Dataset, folds: SubjectFolds, spec: ModelSpec, config: TrainingConfig, modelSeed: UInt64,
  control: TrainingControl = TrainingControl(), started: (FERModel) -> Void = { _ in },
  events: (CrossValidationEvent) -> Void = { _ in }
) throws -> (result: FoldResult, model: FERModel, evaluation: Evaluation) {
  let split = try foldSplit(fold, folds: folds, config: config)
  let (trainIndices, validationIndices, testIndices) = split.clipIndices(in: dataset)
  guard !testIndices.isEmpty else { throw ExperimentError.noClips("the test subjects of fold \(fold)") }
  events(.foldStarted(fold: fold, of: folds.groupCount, testSubjects: split.test))
  let model = try FERModel(spec: spec, seed: modelSeed &+ UInt64(fold))
  var foldConfig = config
  foldConfig.seed = config.seed &+ UInt64(fold)
  let trainer = try Trainer(
    model: model, config: foldConfig, training: trainIndices.map { dataset.clips[$0] },
    validation: validationIndices.map { dataset.clips[$0] }, control: control)
  started(model)
  let (history, stop) = trainer.run { events(.training(fold: fold, $0)) }
  let evaluation = try evaluate(model, on: testIndices.map { dataset.clips[$0] }, batchSize: config.batchSize)
  let result = FoldResult(
    fold: fold, testSubjects: split.test, history: history, stop: stop, confusion: evaluation.confusion,
    weightsChecksum: WeightSnapshot(model).checksum)
  events(.foldFinished(result))
  return (result, model, evaluation)
}

/// Mean and sample standard deviation.
public enum Statistics {
  public static func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
  }

  /// Sample standard deviation (n − 1); 0 for fewer than two values.
  public static func standardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return 0 }
    let m = mean(values)
    return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
  }
}
