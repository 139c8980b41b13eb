import Foundation
@testable import FERExperiments
@testable import FERModels
@testable import FERWorkspace

// Hand-built workspace snapshots for the explorer's screens: idle before any
// dataset, training mid-run with curves, and after an evaluation and a
// gradient-flow measurement. The curves reuse the widget fixtures' shapes.

enum ExplorerFixtures {
  static func spec(_ name: String = "small", temporal: Bool = true) -> ModelSpec {
    var spec = ModelSpec.preset(named: name) ?? ModelSpec()
    spec.convLSTM.temporalSkip = temporal
    return spec
  }

  static let dataset = DatasetSummary(
    source: "synthetic small", name: "synthetic-small", clips: 96, subjects: (1...12).map { "s\($0)" }, frames: 8, size: 32,
    fingerprintHex: "3f9a61c2d04e7b15", classCounts: [16, 16, 16, 16, 16, 16], hasMotion: true,
    foldGroups: [["s1", "s2"], ["s3", "s4"], ["s5", "s6"], ["s7", "s8"], ["s9", "s10"]])

  static func snapshot(
    dataset: DatasetSummary? = nil, spec: ModelSpec = spec(), activity: Activity = .idle, progress: FERWorkspace.Progress? = nil,
    cells: [Cell] = [], currentRun: RunSummary? = nil, flow: [LabelledFlowReport] = [], table: ResultTable? = nil
  ) -> WorkspaceSnapshot {
    var settings = WorkspaceSettings(seed: 1)
    settings.spec = spec
    settings.training.epochs = 12
    settings.fold = 1
    settings.flowFrames = 16
    return WorkspaceSnapshot(
      dataset: dataset, settings: settings, activity: activity, progress: progress, cells: cells, currentRun: currentRun,
      runs: currentRun.map { [$0] } ?? [], gradientFlow: flow, table: table, grid: nil, queued: [], sessionPath: nil)
  }

  static func history(epochs: Int) -> [EpochRecord] {
    let train = Fixtures.trainLoss(epochs: epochs), validation = Fixtures.validationLoss(epochs: epochs)
    return (0..<epochs).map { e in
      EpochRecord(
        epoch: e + 1, trainLoss: train[e], trainAccuracy: min(0.95, 0.2 + 0.06 * Double(e)),
        validationLoss: validation[e], validationAccuracy: min(0.7, 0.18 + 0.045 * Double(e)),
        learningRate: 1e-3, meanGradientNorm: 1.5, stepLosses: [Float(train[e])])
    }
  }

  static func run(epochs: Int, confusion: Bool, finished: Bool) -> RunSummary {
    var matrix = ConfusionMatrix(classes: 6)
    for (r, row) in Fixtures.confusion.enumerated() {
      for (c, count) in row.enumerated() { for _ in 0..<count { matrix.add(label: r, prediction: c) } }
    }
    return RunSummary(
      id: 1, dataset: "synthetic small", spec: spec(), config: TrainingConfig(), fold: 1, history: history(epochs: epochs),
      confusion: confusion ? matrix : nil, stop: finished ? .completed : nil, checksumHex: nil)
  }

  static let loadCells = [
    Cell(number: 0, command: "load synthetic small", output: ["synthetic-small: 96 clips, 12 subjects, T 8, 32 px (fingerprint 3f9a61c2)"], isError: false, isFinished: true),
    Cell(number: 1, command: "set temporal off", output: ["temporal skip off"], isError: false, isFinished: true),
    Cell(number: 2, command: "set temporal maybe", output: ["set temporal: expected on or off, got \"maybe\""], isError: true, isFinished: true),
    Cell(number: 3, command: "set temporal on", output: ["temporal skip on"], isError: false, isFinished: true),
  ]

  static func step(epoch: Int, step: Int) -> StepProgress {
    StepProgress(
      epoch: epoch, step: step, stepsPerEpoch: 10, loss: 0.61, accuracy: 0.72, learningRate: 1e-3, gradientNorm: 1.2,
      clipsPerSecond: 41.2, secondsLeft: 95, fractionDone: 0.55)
  }

  /// Training in epoch 7 of 12, six epochs done.
  static var training: WorkspaceSnapshot {
    snapshot(
      dataset: dataset, activity: .training(step(epoch: 7, step: 4)),
      progress: FERWorkspace.Progress(fraction: 0.53, label: "train epoch 7/12", secondsLeft: 95, throughput: "41.2 clips/s"),
      cells: loadCells + [Cell(number: 4, command: "train", output: ["run 1: small, 12 epochs, fold 1"], isError: false, isFinished: false)],
      currentRun: run(epochs: 6, confusion: false, finished: false))
  }

  static func flowReport(decay: Double, last: Double) -> GradientFlowReport {
    let hidden = Fixtures.gradientNorms(steps: 16, decay: decay, last: last)
    let zeros = [Double](repeating: 0, count: 16)
    let layer = LayerGradientFlow(hidden: hidden, paths: [PathFlow(path: .recurrence, norm: hidden, share: hidden.map { _ in 1 })], cell: zeros)
    return GradientFlowReport(stream: .rgb, steps: 16, layers: [layer], input: hidden, parameterGroups: [], loss: 1.79)
  }

  /// A finished run of 30 epochs, evaluated, with the gradient flow measured.
  static var evaluated: WorkspaceSnapshot {
    snapshot(
      dataset: dataset,
      cells: loadCells + [
        Cell(number: 5, command: "train 30", output: ["run 1: completed after 30 epochs, validation accuracy 61%"], isError: false, isFinished: true),
        Cell(number: 6, command: "eval", output: ["run 1 on fold 1: accuracy 63.4%, macro-F1 0.627"], isError: false, isFinished: true),
        Cell(number: 7, command: "flow", output: ["first/last |dL/dh_t|: conventional 0.0002, enhanced 0.17"], isError: false, isFinished: true),
      ],
      currentRun: run(epochs: 30, confusion: true, finished: true),
      flow: [
        LabelledFlowReport(label: "conventional", report: flowReport(decay: 0.55, last: 0.8)),
        LabelledFlowReport(label: "enhanced", report: flowReport(decay: 0.88, last: 0.6)),
      ])
  }
}
