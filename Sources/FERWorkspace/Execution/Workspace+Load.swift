import FERData
import FERExperiments
import FERModels
import Foundation

// `load`: the synthetic generator, or discovery through the FERData loaders.
// The model's input size follows the dataset's frame size S.

extension Workspace {
  func load(_ request: DatasetRequest, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    switch request {
    case .synthetic(let preset, let spec):
      ctx.setActivity(.loading("synthetic"), progress: Progress(
        fraction: 0, label: "drawing \(spec.clipCount) synthetic clips (T=\(spec.frames), S=\(spec.size))", secondsLeft: nil,
        throughput: nil))
      let generated = SyntheticGenerator.generate(spec)
      try install(generated, described: "synthetic \(preset): \(generated.clips.count) clips of \(generated.subjects.count) subjects, T=\(spec.frames), S=\(spec.size)", ctx, results: &results)
    case .enterface(let path):
      try loadVideos(.enterface, path, ctx, results: &results)
    case .folder(let path):
      try loadVideos(.folder, path, ctx, results: &results)
    case .manifest(let path):
      try loadVideos(.manifest, path, ctx, results: &results)
    }
  }

  /// Discovers, decodes, face-crops and prepares video clips through the on-disk cache.
  private func loadVideos(_ layout: DatasetLayout, _ path: String, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let root = URL(fileURLWithPath: path)
    let found: Discovery
    do { found = try layout.discover(root) } catch { throw WorkspaceError.failed("\(error)") }
    ctx.print("load \(layout.rawValue) \(path): \(found.summary)")
    let preparer: VideoDatasetPreparer
    do {
      preparer = try VideoDatasetPreparer(cache: try PreparedClipCache(folder: PreparedClipCache.defaultFolder()))
    } catch { throw WorkspaceError.failed("\(error)") }
    ctx.setActivity(.loading(layout.rawValue), progress: Progress(
      fraction: 0, label: "preparing \(found.sources.count) clips", secondsLeft: nil, throughput: nil))
    let prepared: (dataset: Dataset, report: PreparationReport)
    do {
      prepared = try preparer.prepare(found.sources, name: layout.datasetName(root: root), provenance: "\(layout.rawValue) \(root.path)") { p in
        ctx.setActivity(.loading(layout.rawValue), progress: Progress(
          fraction: Double(p.done) / Double(max(p.total, 1)), label: "preparing clips (\(p.done)/\(p.total))",
          secondsLeft: nil, throughput: nil))
      }
    } catch { throw WorkspaceError.failed("\(error)") }
    ctx.print(prepared.report.summary)
    try install(prepared.dataset, described: "\(prepared.dataset.name): \(prepared.dataset.clips.count) clips of \(prepared.dataset.subjects.count) subjects, T=\(prepared.dataset.frameCount), S=\(prepared.dataset.size)", ctx, results: &results)
  }

  /// Makes `loaded` the workspace's dataset: checks it fills the folds, resets runs, fits the model's input size.
  private func install(_ loaded: Dataset, described: String, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let foldCount = update { $0.foldCount }
    guard loaded.subjects.count >= foldCount else {
      throw WorkspaceError.failed(
        "load: \(loaded.subjects.count) subjects cannot fill \(foldCount) folds; load more subjects, or `set folds \(max(2, loaded.subjects.count))` first")
    }
    dataset = loaded
    models = [:]
    update {
      $0.spec.inputSize = loaded.size
      $0.runs = []
      $0.currentRunID = nil
      $0.gradientFlow = []
      $0.table = nil
    }
    ctx.print(described)
    try noteDataset(loaded, ctx)
    let streams = update { $0.spec.streams }
    let ready = try requireDataset(for: streams, ctx)
    ctx.print("fingerprint \(ready.fingerprintHex); model input size \(loaded.size)")
    results["dataset"] = datasetResults(ready)
  }

  func datasetResults(_ d: Dataset) -> JSONValue {
    .object([
      "name": .string(d.name), "clips": .of(d.clips.count), "subjects": .of(d.subjects.count),
      "frames": .of(d.frameCount), "size": .of(d.size), "fingerprint": .string(d.fingerprintHex),
      "classCounts": .array(d.classCounts.map { .of($0) }), "motion": .bool(d.clips.allSatisfy { $0.motion != nil }),
    ])
  }
}
