import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

// The worker's dispatch, `set`, and the helpers the commands share.

/// Why a command could not run, in one line with a hint.
enum WorkspaceError: Error, CustomStringConvertible {
  case noDataset
  case noRun
  case unknownRun(Int, count: Int)
  case cannotReadScript(String, reason: String)
  case scriptErrors([String])
  case failed(String)

  var description: String {
    switch self {
    case .noDataset: "no dataset is loaded; try `load synthetic small` (quick) or `load synthetic`"
    case .noRun: "there is no trained run yet; `train` one first"
    case .unknownRun(let id, let count):
      count == 0 ? "there is no run \(id): no run has been trained yet" : "there is no run \(id); runs are numbered 1 to \(count)"
    case .cannotReadScript(let path, let reason): "run: cannot read the script \(path): \(reason)"
    case .scriptErrors(let errors): "run: the script has errors, nothing was run — " + errors.joined(separator: "; ")
    case .failed(let message): message
    }
  }
}

extension Workspace {
  func execute(_ command: Command, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    switch command {
    case .load(let request): try load(request, ctx, results: &results)
    case .set(let setting): try apply(setting, ctx, results: &results)
    case .train(let epochs): try train(epochs: epochs, ctx, results: &results)
    case .eval(let all): try evaluateCurrentRun(onEveryClip: all, ctx, results: &results)
    case .open(let path): try open(path, ctx, results: &results)
    case .cv: try crossValidateSpec(ctx, results: &results)
    case .ablate(let choice): try ablate(choice, ctx, results: &results)
    case .flow(let frames): try measureFlow(frames: frames, ctx, results: &results)
    case .compare(let a, let b): try compare(a, b, ctx, results: &results)
    case .save(let path): try save(path: path, ctx, results: &results)
    case .run(let script): try runScript(script, ctx)
    case .pause, .resume, .stop, .help: break  // handled by submit, never queued
    }
  }

  // MARK: set

  private func apply(_ setting: Setting, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    var foldsChanged = false
    try update { s throws in
      switch setting {
      case .temporal(let on): s.spec.convLSTM.temporalSkip = on
      case .spatial(let on): s.spec.convLSTM.spatialSkip = on
      case .norm(let on): s.spec.convLSTM.groupNorm = on
      case .centre(let on): s.spec.centreFrames = on
      case .preset(let name):
        guard var preset = ModelSpec.preset(named: name) else { throw WorkspaceError.failed("set preset: unknown \(name)") }
        preset.inputSize = s.dataset?.size ?? preset.inputSize
        s.spec = preset
      case .streams(let streams): s.spec.streams = streams
      case .peephole(let p): s.spec.convLSTM.outputPeephole = p
      case .learningRate(let x): s.training.learningRate = x
      case .epochs(let n): s.training.epochs = n
      case .batch(let n): s.training.batchSize = n
      case .optimizer(let o): s.training.optimizer = o
      case .schedule(let k): s.training.schedule = k
      case .weightDecay(let x): s.training.weightDecay = x
      case .clip(let x): s.training.clipNorm = x
      case .patience(let n): s.training.patience = n
      case .seed(let n):
        s.seed = n
        s.training.seed = n
        foldsChanged = true
      case .folds(let k):
        if let subjects = s.dataset?.subjects.count, k > subjects {
          throw WorkspaceError.failed("set folds: \(k) groups need at least \(k) subjects; the dataset has \(subjects)")
        }
        s.foldCount = k
        s.fold = min(s.fold, k - 1)
        foldsChanged = true
      case .fold(let k):
        guard k < s.foldCount else {
          throw WorkspaceError.failed("set fold: there is no fold \(k); folds are numbered 0 to \(s.foldCount - 1) (`set folds K` changes their number)")
        }
        s.fold = k
      case .frames(let t): s.flowFrames = t
      case .validation(let x): s.training.validationFraction = x
      }
    }
    let s = update { $0 }
    if foldsChanged, let dataset { try noteDataset(dataset, ctx) }
    ctx.print(describe(setting, s))
    results["spec"] = .encoding(s.spec)
    results["training"] = .encoding(s.training)
  }

  private func describe(_ setting: Setting, _ s: WorkspaceState) -> String {
    let c = s.spec.convLSTM
    switch setting {
    case .temporal, .spatial, .norm, .peephole:
      return "switches: temporal \(c.temporalSkip ? "on" : "off"), spatial \(c.spatialSkip ? "on" : "off"), norm \(c.groupNorm ? "on" : "off"); peephole \(c.outputPeephole.rawValue)"
    case .preset, .streams, .centre:
      return "model: \(s.spec.name), streams \(s.spec.streams.map(\.rawValue).joined(separator: ",")), input \(s.spec.inputSize)×\(s.spec.inputSize)"
        + (s.spec.centreFrames ? ", rgb clips centred" : ", rgb clips as drawn")
    case .seed(let n): return "seed \(n)"
    case .folds, .fold: return "fold \(s.fold) of \(s.foldCount)"
    case .frames(let t): return "flow clips: \(t) frames"
    default:
      let t = s.training
      return "training: \(t.epochs) epochs, batch \(t.batchSize), \(t.optimizer.rawValue) lr \(t.learningRate) (\(t.schedule.rawValue)), weight decay \(t.weightDecay), clip \(t.clipNorm), patience \(t.patience), validation \(t.validationFraction)"
    }
  }

  // MARK: shared helpers

  /// The loaded dataset, with motion computed first when `streams` need it.
  func requireDataset(for streams: [StreamKind], _ ctx: JobContext) throws -> Dataset {
    guard var dataset else { throw WorkspaceError.noDataset }
    if streams.contains(where: { $0 != .rgb }), dataset.clips.contains(where: { $0.motion == nil }) {
      ctx.print("computing optical flow and dynamic images for \(dataset.clips.count) clips…")
      let started = Date()
      dataset = try dataset.withMotion { [weak self] done, total in
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        self?.update {
          $0.activity = .loading("motion")
          $0.progress = Progress(
            fraction: Double(done) / Double(total), label: "flow and dynamic images \(done)/\(total)",
            secondsLeft: rate > 0 ? Double(total - done) / rate : nil, throughput: String(format: "%.1f clips/s", rate))
        }
      }
      self.dataset = dataset
      try noteDataset(dataset, ctx)
    }
    return dataset
  }

  /// The subject folds of the current seed and fold count.
  func currentFolds(_ dataset: Dataset) throws -> SubjectFolds {
    let (count, seed) = update { ($0.foldCount, $0.seed) }
    return try SubjectFolds(subjects: dataset.subjects, groupCount: count, seed: seed)
  }

  /// Updates the summary the UI shows and queues a dataset record for the session.
  func noteDataset(_ dataset: Dataset, _ ctx: JobContext) throws {
    let folds = try currentFolds(dataset)
    let summary = DatasetSummary(
      name: dataset.name, clips: dataset.clips.count, subjects: dataset.subjects, frames: dataset.frameCount,
      size: dataset.size, fingerprintHex: dataset.fingerprintHex, classCounts: dataset.classCounts,
      hasMotion: dataset.clips.allSatisfy { $0.motion != nil }, foldGroups: folds.groups)
    update { $0.dataset = summary }
    let index = update { _ in records.count + 1 }
    ctx.datasetRecords.append(DatasetRecord(
      command: index, name: dataset.name, provenance: dataset.provenance, fingerprint: dataset.fingerprintHex,
      clips: dataset.clips.count, frames: dataset.frameCount, size: dataset.size, motion: summary.hasMotion,
      groups: folds.assignment, foldSeed: folds.seed))
  }

  /// The run `id`, its summary and its model.
  func run(_ id: Int?) throws -> (RunSummary, FERModel) {
    let (runs, current) = update { ($0.runs, $0.currentRunID) }
    guard let id = id ?? current else { throw WorkspaceError.noRun }
    guard let summary = runs.first(where: { $0.id == id }), let model = models[id] else {
      throw WorkspaceError.unknownRun(id, count: runs.count)
    }
    return (summary, model)
  }

  /// Confusion-matrix fields of a result.
  func confusionResults(_ c: ConfusionMatrix) -> JSONValue {
    .object([
      "classes": .of(c.classes), "counts": .array(c.counts.map { .of($0) }), "accuracy": .of(c.accuracy),
      "macroF1": .of(c.macroF1), "uar": .of(c.unweightedAverageRecall),
    ])
  }
}
