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
      runs: currentRun.map { [$0] } ?? [], gradientFlow: flow, table: table, grid: nil, focus: .run, overlay: [],
      shownClip: nil, shownClipCount: 0, queued: [], sessionPath: nil)
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

  /// Three layers of a switched cell at T = 16: shares over the recurrence, the temporal skip and above.
  static func pathReport() -> GradientFlowReport {
    let steps = 16
    func layer(_ l: Int) -> LayerGradientFlow {
      let hidden = Fixtures.gradientNorms(steps: steps, decay: 0.8 + 0.05 * Double(l), last: 0.5 / Double(l + 1))
      let skip = (0..<steps).map { t in t < steps - 2 ? 0.6 : 0 }
      let above = (0..<steps).map { t in l == 2 ? (t == steps - 1 ? 1 : 0) : (t < steps - 2 ? 0.15 : 1) }
      let recurrence = (0..<steps).map { t in max(0, 1 - skip[t] - above[t]) }
      var paths = [
        PathFlow(path: .recurrence, norm: zip(hidden, recurrence).map(*), share: recurrence),
        PathFlow(path: .temporalSkip, norm: zip(hidden, skip).map(*), share: skip),
      ]
      paths.append(PathFlow(path: l == 2 ? .head : .aboveGates, norm: zip(hidden, above).map(*), share: above))
      return LayerGradientFlow(hidden: hidden, paths: paths, cell: hidden)
    }
    return GradientFlowReport(stream: .rgb, steps: steps, layers: (0..<3).map(layer), input: [], parameterGroups: [], loss: 1.8)
  }

  /// After `flow` of the enhanced cell, three layers with their paths.
  static var flowByPath: WorkspaceSnapshot {
    snapshot(
      dataset: dataset, cells: loadCells, currentRun: run(epochs: 30, confusion: true, finished: true),
      flow: [LabelledFlowReport(label: "enhanced (init)", report: pathReport())])
  }

  /// Runs 1 and 2 compared: their curves overlaid.
  static var compared: WorkspaceSnapshot {
    var first = run(epochs: 12, confusion: true, finished: true)
    var second = run(epochs: 20, confusion: true, finished: true)
    second.id = 2
    first.history = first.history.map { e in
      EpochRecord(
        epoch: e.epoch, trainLoss: e.trainLoss * 1.2, trainAccuracy: e.trainAccuracy * 0.8, validationLoss: e.validationLoss,
        validationAccuracy: e.validationAccuracy.map { $0 * 0.7 }, learningRate: e.learningRate, meanGradientNorm: 1,
        stepLosses: [])
    }
    var s = snapshot(dataset: dataset, cells: loadCells, currentRun: second)
    s.runs = [first, second]
    s.overlay = [1, 2]
    return s
  }

  /// A finished 2×2 skip ablation: five folds a row, with its summary.
  static var ablated: WorkspaceSnapshot {
    let rows = AblationRow.switchGrid(base: spec(), switches: [.temporal, .spatial])
    let plan = GridPlan(rows: rows, folds: Array(0..<5), repetitions: 1)
    var finished: [CellFinished] = []
    var histories: [String: [EpochRecord]] = [:]
    var outcomes: [GridCellOutcome] = []
    for (r, cell) in plan.cells.enumerated() {
      var c = ConfusionMatrix(classes: 6)
      let right = 4 + (r / 5) * 2 + r % 3
      for i in 0..<12 { c.add(label: i % 6, prediction: i < right ? i % 6 : (i + 1) % 6) }
      finished.append(CellFinished(
        cell: cell, testSubjects: ["s\(cell.fold)"], stop: .completed, epochs: 10, accuracy: c.accuracy, macroF1: c.macroF1,
        confusion: c, checksum: "0"))
      histories[cell.key] = history(epochs: 10 - cell.fold)
      outcomes.append(GridCellOutcome(
        cell: cell, result: FoldResult(fold: cell.fold, testSubjects: [], history: [], stop: .completed, confusion: c, weightsChecksum: 0)))
    }
    let summary = GridSummary(plan: plan, outcomes: outcomes, pairs: AblationRow.switchPairs([.temporal, .spatial]))
    var s = snapshot(dataset: dataset, cells: loadCells, table: summary.rowTable(showPublished: false))
    s.grid = GridProgress(kind: "ablate skips", plan: plan, finished: finished, histories: histories, summary: summary)
    s.focus = .grid
    return s
  }

  /// `evaluated` with the run's evaluation listing its clips (for the clip list).
  static var evaluatedWithClips: WorkspaceSnapshot {
    var s = evaluated
    guard var run = s.currentRun, let confusion = run.confusion else { return s }
    run.evaluation = Evaluated(
      run: 1, fold: 1, subjects: ["s3"], loss: 1.1, accuracy: confusion.accuracy, macroF1: confusion.macroF1, uar: 0.6,
      confusion: confusion, clips: ["s3_an_1", "s5_an_2"], labels: [0, 0], predictions: [1, 1],
      probabilities: [[0.3, 0.41, 0.1, 0.09, 0.05, 0.05], [0.2, 0.5, 0.1, 0.1, 0.05, 0.05]])
    s.currentRun = run
    s.runs = [run]
    return s
  }

  /// A clip shown: eight frames, seven flow fields and two dynamic images of a smooth gradient.
  static var clip: ClipPicture {
    func picture(_ channels: Int, _ phase: Int) -> Picture {
      var bytes = Data()
      for y in 0..<12 {
        for x in 0..<12 {
          for c in 0..<channels { bytes.append(UInt8((x * 20 + y * 8 + c * 60 + phase * 25) % 256)) }
        }
      }
      return Picture(side: 12, channels: channels, pixels: bytes)
    }
    return ClipPicture(
      clip: "s3_an_1", subject: "s3", label: "anger", frames: (0..<8).map { picture(3, $0) }, flow: (0..<7).map { picture(1, $0) },
      rgbDynamic: picture(3, 9), flowDynamic: picture(1, 9), predicted: "disgust", probabilities: [0.3, 0.41, 0.1, 0.09, 0.05, 0.05])
  }
}
