import FERCore
import FERData
import FERModels
import Foundation

// The training loop: seeded shuffling, minibatches, a learning-rate schedule,
// gradient clipping, validation after each epoch, early stopping and the best
// epoch's weights. A NaN or Inf loss or gradient ends the run with the last
// good weights restored. Progress goes out as events.

/// Trains one model on one split.
public final class Trainer {
  public let model: FERModel
  public let config: TrainingConfig
  public let training: [PreparedClip]
  public let validation: [PreparedClip]
  private let control: TrainingControl
  private let optimizer: any Optimizer

  /// Throws when the config is invalid or there are no training clips.
  public init(
    model: FERModel, config: TrainingConfig, training: [PreparedClip], validation: [PreparedClip] = [],
    control: TrainingControl = TrainingControl()
  ) throws {
    try config.validate()
    guard !training.isEmpty else { throw TrainingError.emptyTrainingSet }
    try ExperimentError.checkLabels(training + validation, classes: model.spec.classes)
    self.model = model
    self.config = config
    self.training = training
    self.validation = validation
    self.control = control
    switch config.optimizer {
    case .sgd: optimizer = SGD(learningRate: config.learningRate, momentum: 0.9, weightDecay: config.weightDecay)
    case .adam: optimizer = Adam(learningRate: config.learningRate, weightDecay: config.weightDecay)
    case .adamw: optimizer = AdamW(learningRate: config.learningRate, weightDecay: config.weightDecay)
    }
  }

  /// Runs to the end (or early stop, user stop, non-finite values). The model
  /// ends with the best epoch's weights when there is validation, else the last.
  @discardableResult
  public func run(events: (TrainingEvent) -> Void = { _ in }) -> (history: [EpochRecord], stop: StopReason) {
    let parameters = model.parameters
    let stepsPerEpoch = (training.count + config.batchSize - 1) / config.batchSize
    let totalSteps = stepsPerEpoch * config.epochs
    var rng = SeededRNG(seed: config.seed)
    var history: [EpochRecord] = []
    var lastGood = WeightSnapshot(model)
    var best: (epoch: Int, loss: Double, weights: WeightSnapshot)? = nil
    let started = Date()
    var clipsSeen = 0
    events(.started(epochs: config.epochs, stepsPerEpoch: stepsPerEpoch, trainingClips: training.count, validationClips: validation.count))

    func finish(_ reason: StopReason) -> (history: [EpochRecord], stop: StopReason) {
      if let best, !validation.isEmpty { best.weights.restore(into: model) }
      events(.finished(reason))
      return (history, reason)
    }

    for epoch in 1...config.epochs {
      let order = shuffledIndices(training.count, rng: &rng)
      var lossSum = 0.0, correct = 0, seen = 0, normSum = 0.0
      var stepLosses: [Float] = []
      var rate = config.learningRate
      for step in 0..<stepsPerEpoch {
        guard control.checkpoint(onPause: { events(.paused) }, onResume: { events(.resumed) }) else {
          return finish(.stoppedByUser)
        }
        let globalStep = (epoch - 1) * stepsPerEpoch + step
        rate = config.schedule.rate(base: config.learningRate, step: globalStep, totalSteps: totalSteps, warmup: config.warmupSteps)
        optimizer.learningRate = rate
        let batch = order[(step * config.batchSize)..<min((step + 1) * config.batchSize, training.count)].map { training[$0] }
        let labels = batch.map(\.source.label.rawValue)
        var context = ForwardContext(training: true, rng: rng.derived(UInt64(globalStep)))
        let input: ModelInput
        do { input = try makeInput(batch, streams: model.spec.streams) } catch {
          return finish(.nonFinite("\(error)"))
        }
        let logits = model(input, &context)
        let loss = Tensor.softmaxCrossEntropy(logits: logits, labels: labels)
        guard loss.scalar.isFinite else {
          lastGood.restore(into: model)
          return finish(.nonFinite(TrainingError.nonFinite(epoch: epoch, step: step + 1, what: "loss").description))
        }
        optimizer.zeroGrad(parameters)
        loss.backward()
        let norm = config.clipNorm > 0 ? clipGradientNorm(parameters, maxNorm: config.clipNorm) : gradientNorm(parameters)
        guard norm.isFinite else {
          lastGood.restore(into: model)
          return finish(.nonFinite(TrainingError.nonFinite(epoch: epoch, step: step + 1, what: "gradient").description))
        }
        optimizer.step(parameters)

        lossSum += Double(loss.scalar) * Double(batch.count)
        stepLosses.append(loss.scalar)
        normSum += Double(norm)
        for (row, label) in labels.enumerated() {
          let k = logits.shape[1]
          if argmax(Array(logits.data[(row * k)..<((row + 1) * k)])) == label { correct += 1 }
        }
        seen += batch.count
        clipsSeen += batch.count
        let elapsed = Date().timeIntervalSince(started)
        let done = Double(globalStep + 1) / Double(totalSteps)
        events(.step(StepProgress(
          epoch: epoch, step: step + 1, stepsPerEpoch: stepsPerEpoch, loss: loss.scalar,
          accuracy: Double(correct) / Double(seen), learningRate: rate, gradientNorm: norm,
          clipsPerSecond: elapsed > 0 ? Double(clipsSeen) / elapsed : 0,
          secondsLeft: done > 0 ? elapsed * (1 - done) / done : 0, fractionDone: done)))
      }

      var validationLoss: Double? = nil, validationAccuracy: Double? = nil
      if !validation.isEmpty, let result = try? evaluate(model, on: validation, batchSize: config.batchSize) {
        validationLoss = result.loss
        validationAccuracy = result.accuracy
      }
      let record = EpochRecord(
        epoch: epoch, trainLoss: lossSum / Double(seen), trainAccuracy: Double(correct) / Double(seen),
        validationLoss: validationLoss, validationAccuracy: validationAccuracy, learningRate: rate,
        meanGradientNorm: normSum / Double(stepsPerEpoch), stepLosses: stepLosses)
      history.append(record)
      events(.epoch(record))
      lastGood = WeightSnapshot(model)

      if let loss = validationLoss {
        if best == nil || loss < best!.loss { best = (epoch, loss, lastGood) }
        if config.patience > 0, let best, epoch - best.epoch >= config.patience {
          return finish(.earlyStopped(bestEpoch: best.epoch))
        }
      }
    }
    return finish(.completed)
  }
}

/// The global L2 norm of the parameters' gradients (when clipping is off).
func gradientNorm(_ parameters: [Tensor]) -> Float {
  var squares = 0.0
  for p in parameters { if let g = p.grad { for v in g { squares += Double(v) * Double(v) } } }
  return Float(squares.squareRoot())
}
