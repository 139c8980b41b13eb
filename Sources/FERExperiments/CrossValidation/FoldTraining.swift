import FERCore
import FERData
import FERModels
import Foundation

// One fold of leave-one-subject-group-out cross-validation (the seed's
// protocol): a fresh model trained on the other groups' subjects (a share of
// them held out for validation and early stopping) and tested on the fold's
// group. Every experiment (train, cv, ablate, grid cells) trains through here.

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
  events: (TrainingEvent) -> Void = { _ in }
) throws -> (result: FoldResult, model: FERModel, evaluation: Evaluation) {
  let split = try foldSplit(fold, folds: folds, config: config)
  let (trainIndices, validationIndices, testIndices) = split.clipIndices(in: dataset)
  guard !testIndices.isEmpty else { throw ExperimentError.noClips("the test subjects of fold \(fold)") }
  let model = try FERModel(spec: spec, seed: modelSeed &+ UInt64(fold))
  var foldConfig = config
  foldConfig.seed = config.seed &+ UInt64(fold)
  let trainer = try Trainer(
    model: model, config: foldConfig, training: trainIndices.map { dataset.clips[$0] },
    validation: validationIndices.map { dataset.clips[$0] }, control: control)
  started(model)
  let (history, stop) = trainer.run(events: events)
  let evaluation = try evaluate(model, on: testIndices.map { dataset.clips[$0] }, batchSize: config.batchSize)
  let result = FoldResult(
    fold: fold, testSubjects: split.test, history: history, stop: stop, confusion: evaluation.confusion,
    weightsChecksum: WeightSnapshot(model).checksum)
  return (result, model, evaluation)
}
