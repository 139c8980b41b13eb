// Hyper-parameters of one training run, as plain Codable data (sessions record it).

/// Which optimizer a run uses.
public enum OptimizerKind: String, Codable, Sendable, CaseIterable {
  case sgd, adam, adamw
}

/// How the learning rate changes over the run.
public enum LearningRateSchedule: String, Codable, Sendable, CaseIterable {
  /// The base rate throughout.
  case constant
  /// Cosine decay from the base rate to 0 over all steps (after warm-up).
  case cosine
  /// Step decay: ×0.1 at 50 % and again at 75 % of the epochs.
  case step
}

/// Everything that shapes a training run besides the model and the data.
///
/// By default a run ends by early stopping on the validation subjects, with
/// `epochs` a cap. Preset `small` on the rgb stream, fold 0, seeds 1–5, found
/// its best validation loss at epochs 5–8 on the synthetic `starter` set
/// (conventional cell 8–16) and 6–12 on `lag` (conventional 9–18); the loss on
/// 120 validation clips went up to three epochs without improving before that
/// best, so five epochs without a better one end the run, and 30 caps it.
public struct TrainingConfig: Codable, Sendable, Equatable {
  /// The most epochs a run may take (it usually stops earlier; see `patience`).
  public var epochs = 30
  public var batchSize = 8
  public var optimizer: OptimizerKind = .adam
  public var learningRate: Float = 1e-3
  public var weightDecay: Float = 0
  public var schedule: LearningRateSchedule = .cosine
  /// Linear warm-up steps at the start of the run.
  public var warmupSteps = 0
  /// Global gradient-norm clip (0 disables).
  public var clipNorm: Float = 5
  /// Stop after this many epochs without a better validation loss (0 disables).
  public var patience = 5
  /// Fraction of the training subjects held out for validation (0 disables validation).
  public var validationFraction = 0.2
  /// Seed of shuffling and dropout (the model's initialisation has its own seed).
  public var seed: UInt64 = 1

  public init() {}

  /// Throws a message naming the field when a value cannot work.
  /// The ranges of the counts (wide, but no product of them overflows).
  public enum Limits {
    public static let epochs = 1...100_000
    public static let batchSize = 1...4096
    public static let patience = 0...100_000
    public static let warmupSteps = 0...10_000_000
  }

  public func validate() throws {
    func fail(_ message: String) -> TrainingError { .invalidConfig(message) }
    guard Limits.epochs.contains(epochs) else {
      throw fail("epochs is \(epochs): use \(Limits.epochs.lowerBound) to \(Limits.epochs.upperBound)")
    }
    guard Limits.batchSize.contains(batchSize) else {
      throw fail("batchSize is \(batchSize): use \(Limits.batchSize.lowerBound) to \(Limits.batchSize.upperBound)")
    }
    guard learningRate > 0, learningRate.isFinite else { throw fail("learningRate is \(learningRate): use a positive number such as 1e-3") }
    guard weightDecay >= 0, weightDecay.isFinite else { throw fail("weightDecay is \(weightDecay): use 0 or more") }
    guard clipNorm >= 0, clipNorm.isFinite else { throw fail("clipNorm is \(clipNorm): use 0 (off) or a positive norm") }
    guard (0..<1).contains(validationFraction) else {
      throw fail("validationFraction is \(validationFraction): use a fraction in [0, 1)")
    }
    guard Limits.patience.contains(patience), Limits.warmupSteps.contains(warmupSteps) else {
      throw fail("patience is \(patience), warmupSteps \(warmupSteps): use 0 to \(Limits.patience.upperBound) and 0 to \(Limits.warmupSteps.upperBound)")
    }
  }
}

/// Why a run could not start or had to stop.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  case invalidConfig(String)
  case emptyTrainingSet
  case nonFinite(epoch: Int, step: Int, what: String)

  public var description: String {
    switch self {
    case .invalidConfig(let message): "invalid training configuration: \(message)"
    case .emptyTrainingSet: "the training set is empty: load a dataset with clips for the training subjects"
    case .nonFinite(let epoch, let step, let what):
      "training stopped at epoch \(epoch), step \(step): the \(what) became NaN or infinite; "
        + "the last good weights were kept — try a lower learning rate or a tighter clipNorm"
    }
  }
}
