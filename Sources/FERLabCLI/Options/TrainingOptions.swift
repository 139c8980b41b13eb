import ArgumentParser
import FERExperiments

/// Hyper-parameters of training runs.
struct TrainingOptions: ParsableArguments {
  @Option(help: "Epochs.") var epochs: Int = 10
  @Option(help: "Minibatch size.") var batch: Int = 8
  @Option(help: "Learning rate.") var lr: Float = 1e-3
  @Option(help: "Optimizer: sgd, adam, adamw.") var optimizer: String = "adam"
  @Option(help: "Schedule: constant, cosine, step.") var schedule: String = "cosine"
  @Option(help: "Weight decay.") var weightDecay: Float = 0
  @Option(help: "Global gradient-norm clip (0: off).") var clip: Float = 5
  @Option(help: "Early-stopping patience in epochs (0: off).") var patience: Int = 0
  @Option(help: "Fraction of training subjects held out for validation.") var validation: Double = 0.2
  @Option(help: "Seed of shuffling and dropout.") var trainSeed: UInt64 = 1

  func config() throws -> TrainingConfig {
    var config = TrainingConfig()
    config.epochs = epochs
    config.batchSize = batch
    config.learningRate = lr
    guard let kind = OptimizerKind(rawValue: optimizer) else {
      throw ValidationError("--optimizer \(optimizer): choose sgd, adam or adamw")
    }
    config.optimizer = kind
    guard let scheduleKind = LearningRateSchedule(rawValue: schedule) else {
      throw ValidationError("--schedule \(schedule): choose constant, cosine or step")
    }
    config.schedule = scheduleKind
    config.weightDecay = weightDecay
    config.clipNorm = clip
    config.patience = patience
    config.validationFraction = validation
    config.seed = trainSeed
    try config.validate()
    return config
  }
}
