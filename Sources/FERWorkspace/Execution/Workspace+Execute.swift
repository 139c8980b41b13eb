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
    case .noDataset: "no dataset is loaded; try `load synthetic starter` (the default, ready in a second) or `load synthetic small`"
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
  func execute(_ command: Command, _ ctx: JobContext) throws {
    switch command {
    case .load(let request): try load(request, ctx)
    case .set(let change): try apply(change, ctx)
    case .train(let epochs): try train(epochs: epochs, ctx)
    case .eval(let all): try evaluateCurrentRun(onEveryClip: all, ctx)
    case .open(let path): try open(path, ctx)
    case .predict(let request): try predict(request, ctx)
    case .cv, .ablate: try runGridCommand(command, ctx)
    case .flow(let frames, let grid): try measureFlow(frames: frames, grid: grid, ctx)
    case .compare(let ids): try compare(ids, ctx)
    case .show(let clip): try show(clip, ctx)
    case .export(let folder): try export(to: folder ?? "ferlab-export", ctx)
    case .save(let path): try save(path: path, ctx)
    case .run(let script): try runScript(script, ctx)
    case .note(let text): ctx.emit(.noted(Noted(text: text)))
    case .watch(let folder): try watch(folder, ctx)
    // A script's `help` is queued with its other lines; typed, it is answered at once (submit).
    case .help(let name): ctx.emit(.helpShown(HelpShown(command: name)))
    case .pause, .resume, .stop: break  // handled by submit; scripts refuse them
    }
  }

  // MARK: set

  private func apply(_ change: SettingChange, _ ctx: JobContext) throws {
    guard let declaration = SettingCatalog.named(change.name) else { return }
    let (before, summary) = update { ($0.settings, $0.dataset) }
    var settings = before
    try declaration.assign(change.value, &settings, .running(dataset: summary))
    ctx.emit(.settingsChanged(SettingsChanged(setting: change.name, settings: settings)))
    // New folds: deal the subjects again.
    if let dataset, settings.seed != before.seed || settings.foldCount != before.foldCount {
      ctx.emit(.foldsDealt(try datasetEvent(dataset, source: summary?.source ?? dataset.name)))
    }
  }

  // MARK: shared helpers

  /// The loaded dataset, with motion computed first when `streams` need it.
  func requireDataset(for streams: [StreamKind], _ ctx: JobContext) throws -> Dataset {
    guard var dataset else { throw WorkspaceError.noDataset }
    if streams.contains(where: { $0 != .rgb }), dataset.clips.contains(where: { $0.motion == nil }) {
      ctx.emit(.motionStarted(MotionStarted(clips: dataset.clips.count)))
      let started = Date()
      dataset = try dataset.withMotion { done, total in
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        ctx.setActivity(.loading("motion"), progress: Progress(
          fraction: Double(done) / Double(total), label: "flow and dynamic images \(done)/\(total)",
          secondsLeft: rate > 0 ? Double(total - done) / rate : nil, throughput: String(format: "%.1f clips/s", rate)))
      }
      self.dataset = dataset
      let source = update { $0.dataset?.source } ?? dataset.name
      ctx.emit(.motionComputed(try datasetEvent(dataset, source: source)))
    }
    return dataset
  }

  /// Refuses a training whose step would need more memory than the limit (`--max-memory`),
  /// before any model is built or any motion computed (the loaded dataset gives the clip length).
  func checkMemory(_ specs: [ModelSpec], batch: Int, command: String) throws {
    guard let steps = update({ $0.dataset?.frames }) else { return }
    let limit = options.memoryLimit
    guard let (spec, estimate) = specs.map({ ($0, $0.trainingMemory(batch: batch, steps: steps)) })
      .max(by: { $0.1.totalBytes < $1.1.totalBytes }), estimate.totalBytes > limit
    else { return }
    let source = options.maxMemory == nil
      ? "three quarters of this machine's \(formatBytes(Int(ProcessInfo.processInfo.physicalMemory)))" : "--max-memory"
    throw WorkspaceError.failed(
      "\(command): a training step of \(spec.name) on batches of \(batch) clips of \(steps) frames needs \(estimate), "
        + "more than the limit of \(formatBytes(limit)) (\(source)); use a smaller batch (`set batch`), shorter clips or a "
        + "smaller preset, or raise --max-memory")
  }

  /// The subject folds of the current seed and fold count.
  func currentFolds(_ dataset: Dataset) throws -> SubjectFolds {
    let settings = update { $0.settings }
    return try SubjectFolds(subjects: dataset.subjects, groupCount: settings.foldCount, seed: settings.seed)
  }

  /// The dataset as an event: what the UI shows and replay checks, with the current folds.
  func datasetEvent(_ dataset: Dataset, source: String) throws -> DatasetEvent {
    let folds = try currentFolds(dataset)
    return DatasetEvent(
      source: source, name: dataset.name, provenance: dataset.provenance, fingerprint: dataset.fingerprintHex,
      clips: dataset.clips.count, frames: dataset.frameCount, size: dataset.size, classCounts: dataset.classCounts,
      motion: dataset.clips.allSatisfy { $0.motion != nil }, foldGroups: folds.groups, foldSeed: folds.seed)
  }

  /// The run `id` (the current run when nil), its summary and its model.
  func run(_ id: Int?) throws -> (RunSummary, FERModel) {
    let (runs, current) = update { ($0.runs, $0.currentRunID) }
    guard let id = id ?? current else { throw WorkspaceError.noRun }
    guard let summary = runs.first(where: { $0.id == id }), let model = models[id] else {
      throw WorkspaceError.unknownRun(id, count: runs.count)
    }
    return (summary, model)
  }

  /// The id the next run gets.
  var nextRunID: Int { update { $0.runs.count + 1 } }
}

/// 16 hex digits: how weight checksums are written.
func checksumHex(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}
