import Dispatch
import Foundation

// From a loader's clip sources to a Dataset, on all cores, through the cache.
//
// `workers` threads (one per core by default) each take the next unclaimed
// clip: look it up in the cache; on a miss, decode and pre-process it
// (`ClipPreprocessor`) and store it. A clip's decode spends much of its time
// waiting on the ffmpeg subprocess, and its flow work is itself spread over the
// cores, so two workers on two cores keep both busy without either starving.
// A clip that fails is skipped with its reason; the load goes on. Results are
// kept by clip index, so the dataset does not depend on which worker finished
// first.

/// Prepares datasets of video clips: decode, face crop, motion, cached on disk.
public struct VideoDatasetPreparer: Sendable {
  public let preprocessor: ClipPreprocessor
  /// Where prepared clips are kept between runs; nil prepares every clip every time.
  public let cache: PreparedClipCache?
  /// Clips prepared at once.
  public let workers: Int

  public var settings: PreprocessingSettings { preprocessor.settings }

  /// A preparer on `cache` (e.g. in `PreparedClipCache.defaultFolder()`; nil for none), one worker per core by default.
  public init(
    settings: PreprocessingSettings = .standard, cache: PreparedClipCache?,
    workers: Int = ProcessInfo.processInfo.activeProcessorCount
  ) throws(PreprocessingSetupError) {
    guard workers >= 1 else { throw .workers(workers) }
    self.preprocessor = try ClipPreprocessor(settings: settings)
    self.cache = cache
    self.workers = workers
  }

  /// Prepares `sources` into a dataset called `name`. `provenance` says where the
  /// sources came from (root folder, layout); the settings are appended to it.
  /// `progress` is called from worker threads as each clip finishes.
  public func prepare(
    _ sources: [ClipSource], name: String, provenance: String,
    progress: @Sendable (PreparationProgress) -> Void = { _ in }
  ) throws(PreparationError) -> (dataset: Dataset, report: PreparationReport) {
    let total = sources.count
    let claims = DoneCounter()
    let finished = DoneCounter()
    var outcomes = [ClipOutcome?](repeating: nil, count: total)
    outcomes.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      DispatchQueue.concurrentPerform(iterations: min(workers, max(total, 1))) { _ in
        while true {
          let i = claims.increment() - 1
          guard i < total else { return }
          out[i] = outcome(sources[i])
          progress(
            PreparationProgress(done: finished.increment(), total: total, currentFile: sources[i].path ?? sources[i].id)
          )
        }
      }
    }

    var clips: [PreparedClip] = []
    var skipped: [SkippedClip] = []
    var rejected: [String] = []
    var writeFailures: [String] = []
    var (decoded, cached, fallbackFrames, totalFrames) = (0, 0, 0, 0)
    var centreCrops: [String] = []
    var warnings: [String] = []
    for case let outcome? in outcomes {
      if let why = outcome.rejectedCache { rejected.append(why) }
      if let why = outcome.writeFailure { writeFailures.append(why) }
      switch outcome.fate {
      case .skipped(let skip):
        skipped.append(skip)
      case .prepared(let prepared):
        clips.append(prepared.clip)
        if outcome.fromCache { cached += 1 } else { decoded += 1 }
        fallbackFrames += prepared.fallbackFrames
        totalFrames += prepared.clip.frameCount
        if prepared.usedCentreCrop { centreCrops.append(prepared.clip.source.id) }
        if let warning = prepared.samplingWarning { warnings.append(warning) }
      }
    }
    let report = PreparationReport(
      requested: total, decoded: decoded, cached: cached, rejectedCacheFiles: rejected,
      cacheWriteFailures: writeFailures, skipped: skipped, fallbackFrames: fallbackFrames, totalFrames: totalFrames,
      centreCropClips: centreCrops, warnings: warnings)
    guard !clips.isEmpty else { throw .noClips(report) }
    do {
      let dataset = try Dataset(
        name: name, provenance: provenance + " | preprocessing " + settings.canonicalJSON, clips: clips)
      return (dataset, report)
    } catch {
      throw .dataset(error)
    }
  }

  /// What became of one clip.
  struct ClipOutcome {
    enum Fate {
      case prepared(PreprocessedClip)
      case skipped(SkippedClip)
    }
    var fate: Fate
    var fromCache = false
    var rejectedCache: String?
    var writeFailure: String?
  }

  /// One clip through the cache and, on a miss, the pre-processing.
  func outcome(_ source: ClipSource) -> ClipOutcome {
    let key = source.path.flatMap { PreparedClipCache.key(path: $0, settings: settings) }
    var rejectedCache: String?
    if let cache, let key {
      switch cache.lookup(source, key: key, settings: settings) {
      case .hit(let prepared): return ClipOutcome(fate: .prepared(prepared), fromCache: true)
      case .miss: break
      case .rejected(let why): rejectedCache = why
      }
    }
    let prepared: PreprocessedClip
    do { prepared = try preprocessor.prepare(source) } catch {
      return ClipOutcome(fate: .skipped(SkippedClip(source: source, reason: error)), rejectedCache: rejectedCache)
    }
    let writeFailure = cache.flatMap { cache in key.flatMap { cache.store(prepared, key: $0, settings: settings) } }
    return ClipOutcome(fate: .prepared(prepared), rejectedCache: rejectedCache, writeFailure: writeFailure)
  }
}
