// What a training run reports as it goes. The trainer never prints or draws;
// the terminal UI, the command-line progress bar and session recording all
// consume these events.

/// Progress within an epoch.
public struct StepProgress: Sendable, Equatable {
  public let epoch: Int
  /// 1-based step within the epoch.
  public let step: Int
  public let stepsPerEpoch: Int
  /// Loss of this minibatch.
  public let loss: Float
  /// Running accuracy over the epoch so far.
  public let accuracy: Double
  public let learningRate: Float
  /// Global gradient norm before clipping.
  public let gradientNorm: Float
  /// Training clips per second over the run so far (wall clock; never recorded in sessions).
  public let clipsPerSecond: Double
  /// Estimated seconds left in the run.
  public let secondsLeft: Double
  /// Fraction of the whole run done, 0…1.
  public let fractionDone: Double
}

/// The summary of one finished epoch.
public struct EpochRecord: Codable, Sendable, Equatable {
  public let epoch: Int
  public let trainLoss: Double
  public let trainAccuracy: Double
  public let validationLoss: Double?
  public let validationAccuracy: Double?
  public let learningRate: Float
  public let meanGradientNorm: Double
  /// The loss of every optimizer step, in order: where two runs first part
  /// (replay names the epoch and step).
  public let stepLosses: [Float]

  public init(
    epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double?, validationAccuracy: Double?,
    learningRate: Float, meanGradientNorm: Double, stepLosses: [Float]
  ) {
    self.epoch = epoch
    self.trainLoss = trainLoss
    self.trainAccuracy = trainAccuracy
    self.validationLoss = validationLoss
    self.validationAccuracy = validationAccuracy
    self.learningRate = learningRate
    self.meanGradientNorm = meanGradientNorm
    self.stepLosses = stepLosses
  }
}

/// Why a run ended.
public enum StopReason: Codable, Sendable, Equatable {
  case completed
  case earlyStopped(bestEpoch: Int)
  case stoppedByUser
  case nonFinite(String)

  public var summary: String {
    switch self {
    case .completed: "completed"
    case .earlyStopped(let best): "stopped early (best epoch \(best))"
    case .stoppedByUser: "stopped"
    case .nonFinite(let message): message
    }
  }
}

/// Events in the order a run emits them: started, then step… epoch, …, finished.
public enum TrainingEvent: Sendable {
  case started(epochs: Int, stepsPerEpoch: Int, trainingClips: Int, validationClips: Int)
  case step(StepProgress)
  case epoch(EpochRecord)
  case paused
  case resumed
  case finished(StopReason)
}
