import FERVideo
import Foundation
import Testing

@testable import FERData

// End to end on a tiny synthetic export: 2 subjects × 6 classes × 1 clip,
// T = 6, S = 32, written as .avi through the encoder into a fresh folder per
// test, found by the eNTERFACE loader and prepared.

private let tinySpec = try! SyntheticSpec.small.with(subjects: 2, clipsPerClass: 1, frames: 6, size: 32)
private let tinySettings = try! PreprocessingSettings(frameCount: 6, cropSize: 32)

/// The export and an empty cache folder, removed by `remove()`.
private struct Workbench {
  let tree: TemporaryTree
  var videos: URL { tree.root.appendingPathComponent("videos") }
  var cacheFolder: URL { tree.root.appendingPathComponent("cache") }

  init(_ name: String) throws {
    tree = try TemporaryTree(name)
    try SyntheticVideoExport.write(tinySpec, to: videos)
  }

  func preparer() throws -> VideoDatasetPreparer {
    try VideoDatasetPreparer(settings: tinySettings, cache: PreparedClipCache(folder: cacheFolder), workers: 2)
  }

  func load() throws -> (dataset: Dataset, report: PreparationReport) {
    let found = try EnterfaceLoader.discover(root: videos)
    return try preparer().prepare(found.sources, name: "tiny", provenance: "enterface \(videos.path)")
  }

  func cacheFiles() throws -> [URL] {
    try FileManager.default.contentsOfDirectory(
      at: cacheFolder.appendingPathComponent("clips"), includingPropertiesForKeys: nil
    ).filter { $0.pathExtension == "safetensors" }.sorted { $0.path < $1.path }
  }

  func remove() { tree.remove() }
}

@Suite("Video pre-processing pipeline")
struct PreprocessingPipelineTests {
  @Test func exportLoadsBackWithItsSubjectsLabelsAndShapes() throws {
    let bench = try Workbench("pipeline-e2e")
    defer { bench.remove() }
    let progress = ProgressLog()
    let found = try EnterfaceLoader.discover(root: bench.videos)
    let (dataset, report) = try bench.preparer().prepare(
      found.sources, name: "tiny", provenance: "test", progress: { progress.append($0) })

    #expect(dataset.subjects == ["1", "2"])
    #expect(dataset.classCounts == [2, 2, 2, 2, 2, 2])
    let expected = SyntheticGenerator.clipSources(tinySpec)
    #expect(dataset.clips.map(\.source.label) == expected.map(\.label))
    #expect(dataset.clips.map(\.source.subject) == expected.map(\.subject))
    for clip in dataset.clips {
      #expect(clip.frames.shape == [6, 3, 32, 32])
      #expect(clip.motion?.flow.shape == [5, 2, 32, 32])
      #expect(clip.motion?.rgbDynamicImage.shape == [3, 32, 32])
      #expect(clip.motion?.flowDynamicImage.shape == [2, 32, 32])
    }
    #expect(report.decoded == 12 && report.cached == 0 && report.skipped.isEmpty)
    #expect(report.totalFrames == 72)
    #expect(report.fallbackFrames <= report.totalFrames)

    // Progress: one call per clip, counting up to the total, naming the file.
    let steps = progress.steps.sorted { $0.done < $1.done }
    #expect(steps.map(\.done) == Array(1...12))
    #expect(steps.allSatisfy { $0.total == 12 && $0.currentFile.hasSuffix(".avi") })
  }

  @Test func framesFollowTheGeneratorsThroughTheCodec() throws {
    // The synthetic face fills its frame, so whether the tracker finds it or falls
    // back to the centre square, the crop covers most of the drawn frame.
    let bench = try Workbench("pipeline-frames")
    defer { bench.remove() }
    let (dataset, _) = try bench.load()
    let drawn = SyntheticGenerator.generate(tinySpec)
    for (prepared, original) in zip(dataset.clips, drawn.clips) {
      #expect(prepared.source.label == original.source.label)
      let a = prepared.frames.data, b = original.frames.data
      let meanError = zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) } / Float(a.count)
      #expect(meanError < 0.08, "clip \(prepared.source.id): mean |prepared − drawn| = \(meanError)")
    }
  }

  @Test func corruptAndEmptyFilesAreSkippedAndReported() throws {
    let bench = try Workbench("pipeline-corrupt")
    defer { bench.remove() }
    let corrupt = bench.videos.appendingPathComponent("subject 2/anger/sentence 2/s2_an_2.avi")
    let empty = bench.videos.appendingPathComponent("subject 1/fear/sentence 2/s1_fe_2.avi")
    try FileManager.default.createDirectory(at: corrupt.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: empty.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data("RIFF\u{0}\u{0}\u{0}\u{0}AVI not really a video".utf8).write(to: corrupt)
    try Data().write(to: empty)

    let (dataset, report) = try bench.load()
    #expect(dataset.clips.count == 12)
    #expect(report.requested == 14)
    let skipped = report.skipped.map(\.source.id).sorted()
    #expect(skipped == ["subject 1/fear/sentence 2/s1_fe_2.avi", "subject 2/anger/sentence 2/s2_an_2.avi"])
    let emptyReason = report.skipped.first { $0.source.id.hasSuffix("s1_fe_2.avi") }?.reason
    #expect(emptyReason == .video(.emptyFile(path: empty.path)))
    #expect(report.summary.contains("skipped 2"))
  }

  @Test func secondLoadReadsTheCacheWithoutDecoding() throws {
    let bench = try Workbench("pipeline-cache")
    defer { bench.remove() }
    let first = try bench.load()
    #expect(first.report.decoded == 12)
    #expect(try bench.cacheFiles().count == 12)

    let second = try bench.load()
    #expect(second.report.decoded == 0)
    #expect(second.report.cached == 12)
    #expect(second.report.fallbackFrames == first.report.fallbackFrames)
    #expect(second.report.centreCropClips == first.report.centreCropClips)
    #expect(second.dataset.fingerprint == first.dataset.fingerprint)

    // Other settings are another key: everything is decoded again.
    let other = try VideoDatasetPreparer(
      settings: PreprocessingSettings(frameCount: 5, cropSize: 32),
      cache: PreparedClipCache(folder: bench.cacheFolder), workers: 2)
    let third = try other.prepare(
      try EnterfaceLoader.discover(root: bench.videos).sources, name: "tiny", provenance: "test")
    #expect(third.report.decoded == 12 && third.report.cached == 0)
    #expect(third.dataset.frameCount == 5)
  }

  @Test func interruptedOrDamagedCacheFilesNeverLoadWrong() throws {
    let bench = try Workbench("pipeline-damage")
    defer { bench.remove() }
    let first = try bench.load()
    let files = try bench.cacheFiles()
    #expect(files.count == 12)

    // A write interrupted before its rename: a partial file under a temporary name.
    let partial = files[0].deletingLastPathComponent().appendingPathComponent(".\(files[0].lastPathComponent).999.partial")
    try Data(try Data(contentsOf: files[0]).prefix(100)).write(to: partial)
    // A cache file cut short (e.g. a full disk while copying the folder).
    let full = try Data(contentsOf: files[1])
    try full.prefix(full.count / 2).write(to: files[1])
    // A complete cache file of another clip under this clip's name.
    try FileManager.default.removeItem(at: files[2])
    try FileManager.default.copyItem(at: files[3], to: files[2])

    let second = try bench.load()
    #expect(second.report.rejectedCacheFiles.count == 2)
    #expect(second.report.decoded == 2 && second.report.cached == 10)
    #expect(second.dataset.fingerprint == first.dataset.fingerprint)

    // The rebuilt files are whole again.
    let third = try bench.load()
    #expect(third.report.decoded == 0 && third.report.rejectedCacheFiles.isEmpty)
  }

  @Test func changedFileIsPreparedAgain() throws {
    let bench = try Workbench("pipeline-changed")
    defer { bench.remove() }
    let sources = try EnterfaceLoader.discover(root: bench.videos).sources
    let path = try #require(sources[0].path)
    let before = try #require(PreparedClipCache.key(path: path, settings: tinySettings))
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: path)
    let after = try #require(PreparedClipCache.key(path: path, settings: tinySettings))
    #expect(before != after)
    #expect(PreparedClipCache.key(path: path, settings: .standard) != after)
    #expect(PreparedClipCache.key(path: path + ".missing", settings: tinySettings) == nil)
  }

  @Test func nothingPreparedIsAnErrorCarryingTheReport() throws {
    let bench = try Workbench("pipeline-none")
    defer { bench.remove() }
    let ghost = ClipSource(
      id: "ghost.avi", subject: "1", label: .fear, location: .file(path: bench.videos.appendingPathComponent("ghost.avi").path))
    #expect {
      try bench.preparer().prepare([ghost], name: "none", provenance: "test")
    } throws: { error in
      guard case .noClips(let report) = error as? PreparationError else { return false }
      return report.skipped.map(\.source) == [ghost]
    }
  }
}

/// Progress steps collected from worker threads.
private final class ProgressLog: @unchecked Sendable {
  private let lock = NSLock()
  private var collected: [PreparationProgress] = []
  func append(_ step: PreparationProgress) { lock.withLock { collected.append(step) } }
  var steps: [PreparationProgress] { lock.withLock { collected } }
}
