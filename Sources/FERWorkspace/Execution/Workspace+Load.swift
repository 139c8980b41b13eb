import FERData
import FERExperiments
import FERModels
import Foundation

// `load`: the synthetic generator, or discovery through the FERData loaders and
// preparation through the on-disk cache. The model's input size follows the
// dataset's frame size S; runs trained before stay listed.

extension Workspace {
  func load(_ request: DatasetRequest, _ ctx: JobContext) throws {
    switch request {
    case .synthetic(let preset, let spec):
      ctx.setActivity(.loading("synthetic"), progress: Progress(
        fraction: 0, label: "drawing \(spec.clipCount) synthetic clips (T=\(spec.frames), S=\(spec.size))", secondsLeft: nil,
        throughput: nil))
      try install(SyntheticGenerator.generate(spec), source: "synthetic \(preset)", ctx)
    case .enterface(let path): try loadVideos(.enterface, path, ctx)
    case .folder(let path): try loadVideos(.folder, path, ctx)
    case .manifest(let path): try loadVideos(.manifest, path, ctx)
    }
  }

  /// Discovers, decodes, face-crops and prepares video clips through the on-disk cache.
  private func loadVideos(_ layout: DatasetLayout, _ path: String, _ ctx: JobContext) throws {
    let root = URL(fileURLWithPath: path)
    let found: Discovery
    do { found = try layout.discover(root) } catch { throw WorkspaceError.failed("\(error)") }
    ctx.emit(.videosFound(VideosFound(
      layout: layout.rawValue, path: path, clips: found.sources.count, subjects: found.subjects,
      skipped: found.skipped.map(\.description))))
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
    ctx.emit(.videosPrepared(VideosPrepared(lines: prepared.report.lines, warnings: prepared.report.warnings)))
    try install(prepared.dataset, source: "\(layout.rawValue) \(path)", ctx)
  }

  /// Makes `loaded` the workspace's dataset, after checking it fills the folds; computes
  /// its motion when the model's streams need it.
  private func install(_ loaded: Dataset, source: String, _ ctx: JobContext) throws {
    let foldCount = update { $0.settings.foldCount }
    guard loaded.subjects.count >= foldCount else {
      throw WorkspaceError.failed(
        "load: \(loaded.subjects.count) subjects cannot fill \(foldCount) folds; load more subjects, or `set folds \(max(2, loaded.subjects.count))` first")
    }
    dataset = loaded
    ctx.emit(.datasetLoaded(try datasetEvent(loaded, source: source)))
    _ = try requireDataset(for: update { $0.settings.spec.streams }, ctx)
  }
}
