import FERCore
import FERData
import FERModels
import Testing
@testable import FERExperiments

@Suite("trainer")
struct TrainerTests {
  static func config(epochs: Int = 12) -> TrainingConfig {
    var config = TrainingConfig()
    config.epochs = epochs
    config.batchSize = 4
    config.learningRate = 0.01
    config.schedule = .constant
    config.validationFraction = 0
    return config
  }

  @Test func lossFallsOnALearnableToySet() throws {
    let clips = ToyData.clips(perClass: 8)
    let model = try FERModel(spec: ToyData.spec, seed: 3)
    let before = try evaluate(model, on: clips)
    let (history, stop) = try Trainer(model: model, config: Self.config(), training: clips).run()
    let after = try evaluate(model, on: clips)
    #expect(stop == .completed)
    #expect(history.count == 12)
    #expect(history.last!.trainLoss < 0.5 * history.first!.trainLoss)
    #expect(after.loss < 0.5 * before.loss)
    #expect(after.accuracy >= 0.9)
  }

  @Test func sameSeedSameRun() throws {
    let clips = ToyData.clips(perClass: 4)
    func run() throws -> ([EpochRecord], UInt64) {
      let model = try FERModel(spec: ToyData.spec, seed: 3)
      let history = try Trainer(model: model, config: Self.config(epochs: 2), training: clips).run().history
      return (history, WeightSnapshot(model).checksum)
    }
    let (a, ca) = try run(), (b, cb) = try run()
    #expect(a == b)
    #expect(ca == cb)
  }

  @Test func aNaNStopsCleanlyAndKeepsTheLastGoodWeights() throws {
    var clips = ToyData.clips(perClass: 4)
    let model = try FERModel(spec: ToyData.spec, seed: 3)
    let initial = WeightSnapshot(model).checksum
    // A clip with a NaN pixel poisons the first minibatch that holds it.
    let bad = clips[0]
    var data = bad.frames.data
    data[5] = .nan
    clips[0] = try PreparedClip(source: bad.source, frames: TensorValue(shape: bad.frames.shape, data: data))
    var events: [TrainingEvent] = []
    let (_, stop) = try Trainer(model: model, config: Self.config(epochs: 3), training: clips).run { events.append($0) }
    guard case .nonFinite(let message) = stop else {
      Issue.record("expected a non-finite stop, got \(stop)")
      return
    }
    #expect(message.contains("NaN or infinite") && message.contains("last good weights"))
    #expect(WeightSnapshot(model).checksum == initial)  // the poisoned batch came in the first epoch
    #expect(model.parameters.allSatisfy { $0.data.allSatisfy(\.isFinite) })
    if case .finished(let reason)? = events.last { #expect(reason == stop) } else { Issue.record("no finished event") }
  }

  @Test func stopRequestEndsTheRun() throws {
    let control = TrainingControl()
    let model = try FERModel(spec: ToyData.spec, seed: 3)
    let trainer = try Trainer(model: model, config: Self.config(epochs: 5), training: ToyData.clips(perClass: 4), control: control)
    var steps = 0
    let (history, stop) = trainer.run { event in
      if case .step = event {
        steps += 1
        if steps == 3 { control.stop() }
      }
    }
    #expect(stop == .stoppedByUser)
    #expect(steps == 3 && history.count == 1)  // 8 clips in batches of 4: step 3 is in epoch 2
  }

  @Test func validationAndEarlyStopping() throws {
    var config = Self.config(epochs: 30)
    config.patience = 2
    config.learningRate = 0.05
    let clips = ToyData.clips(perClass: 6)  // 6 of one class, then 6 of the other
    let model = try FERModel(spec: ToyData.spec, seed: 3)
    let (history, stop) = try Trainer(model: model, config: config, training: Array(clips[0..<4]) + Array(clips[6..<10]),
      validation: Array(clips[4..<6]) + Array(clips[10..<12])).run()
    #expect(history.allSatisfy { $0.validationLoss != nil })
    // The toy task is learnt within a few epochs; then the validation loss stops improving.
    guard case .earlyStopped(let best) = stop else {
      Issue.record("expected early stopping within 30 epochs, got \(stop) after \(history.count)")
      return
    }
    #expect(history.count == best + config.patience)
    let losses = history.compactMap(\.validationLoss)
    #expect(losses[best - 1] == losses.min(), "epoch \(best) has the lowest validation loss")
    #expect(losses[best...].allSatisfy { $0 >= losses[best - 1] }, "no later epoch improved on it")
  }

  /// A spec with fewer classes than the data's labels is refused with a sentence, not a trap in the loss.
  @Test func labelsOutsideTheModelsClassesAreRefused() throws {
    var spec = ToyData.spec
    spec.classes = 2
    let model = try FERModel(spec: spec, seed: 3)
    let clips = ToyData.clips(perClass: 1)  // anger (0) and happiness (3)
    #expect(throws: ExperimentError.labelOutsideModel(clip: "happiness-0", label: 3, classes: 2)) {
      try Trainer(model: model, config: Self.config(), training: clips)
    }
    #expect(throws: ExperimentError.self) { try evaluate(model, on: clips) }
    #expect(ExperimentError.labelOutsideModel(clip: "x", label: 3, classes: 2).description.contains("classes 6"))
  }

  @Test func invalidConfigsAreRefused() throws {
    var config = Self.config()
    config.learningRate = -1
    let model = try FERModel(spec: ToyData.spec, seed: 3)
    #expect { try Trainer(model: model, config: config, training: ToyData.clips(perClass: 1)) } throws: {
      "\($0)".contains("learningRate")
    }
    #expect(throws: TrainingError.emptyTrainingSet) { try Trainer(model: model, config: Self.config(), training: []) }
  }

  @Test func schedules() {
    #expect(LearningRateSchedule.constant.rate(base: 1, step: 5, totalSteps: 10, warmup: 0) == 1)
    #expect(LearningRateSchedule.cosine.rate(base: 1, step: 0, totalSteps: 10, warmup: 0) == 1)
    #expect(abs(LearningRateSchedule.cosine.rate(base: 1, step: 5, totalSteps: 10, warmup: 0) - 0.5) < 1e-6)
    #expect(LearningRateSchedule.step.rate(base: 1, step: 8, totalSteps: 10, warmup: 0) == 0.01)
    #expect(LearningRateSchedule.constant.rate(base: 1, step: 1, totalSteps: 10, warmup: 4) == 0.5)
  }
}
