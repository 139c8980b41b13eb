import FERVideo
import Foundation
import Testing

@testable import FERData

// End to end on a tiny synthetic export: 2 subjects (1 where two are not
// needed) × 6 classes × 1 clip, T = 6, S = 32, written as .avi through the
// encoder into a fresh folder per test, found by the eNTERFACE loader and
// prepared. Every clip costs two ffmpeg launches, so the tests share loads.

private let tinySpec = try! SyntheticSpec.small.with(subjects: 2, clipsPerClass: 1, frames: 6, size: 32)
private let tinySettings = try! PreprocessingSettings(frameCount: 6, cropSize: 32)

/// The export of `subjects` subjects and an empty cache folder, removed by `remove()`.
private struct Workbench {
  let tree: TemporaryTree
  var videos: URL { tree.root.appendingPathComponent("videos") }
  var cacheFolder: URL { tree.root.appendingPathComponent("cache") }

  init(_ name: String, subjects: Int) throws {
    tree = try TemporaryTree(name)
    try SyntheticVideoExport.write(try tinySpec.with(subjects: subjects), to: videos)
  }

  func preparer() throws -> VideoDatasetPreparer {
    try VideoDatasetPreparer(settings: tinySettings, cache: PreparedClipCache(folder: cacheFolder), workers: 2)
  }

  func load(progress: @Sendable (PreparationProgress) -> Void = { _ in }) throws -> (
    dataset: Dataset, report: PreparationReport
  ) {
    let found = try EnterfaceLoader.discover(root: videos)
    return try preparer().prepare(
      found.sources, name: "tiny", provenance: "enterface \(videos.path)", progress: progress)
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
  @Test func exportLoadsBackWithItsSubjectsLabelsAndShapesThenFromTheCache() throws {
    let bench = try Workbench("pipeline-e2e", subjects: 2)
    defer { bench.remove() }
    let progress = ProgressLog()
    let (dataset, report) = try bench.load { progress.append($0) }

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

    // Motion is the crops' own; where no face was found the crop is the whole
    // (square) frame, so it matches the generator's frame through the codec.
    let drawn = SyntheticGenerator.generate(tinySpec)
    for (prepared, original) in zip(dataset.clips, drawn.clips) {
      #expect(prepared.frames.data.allSatisfy { (0...1).contains($0) })
      #expect(prepared.motion == extractMotion(frames: prepared.frames, parameters: tinySettings.farnebackParameters))
      guard report.centreCropClips.contains(prepared.source.id) else { continue }
      let a = prepared.frames.data
      let b = original.frames.data
      let meanError = zip(a, b).reduce(0) { $0 + abs($1.0 - $1.1) } / Float(a.count)
      #expect(meanError < 0.03, "clip \(prepared.source.id): mean |prepared − drawn| = \(meanError)")
    }

    // Progress: one call per clip, counting up to the total, naming the file.
    let steps = progress.steps.sorted { $0.done < $1.done }
    #expect(steps.map(\.done) == Array(1...12))
    #expect(steps.allSatisfy { $0.total == 12 && $0.currentFile.hasSuffix(".avi") })
    #expect(try bench.cacheFiles().count == 12)

    // The second load decodes nothing and gives the same dataset and face counts.
    let second = try bench.load()
    #expect(second.report.decoded == 0)
    #expect(second.report.cached == 12)
    #expect(second.report.fallbackFrames == report.fallbackFrames)
    #expect(second.report.centreCropClips == report.centreCropClips)
    #expect(second.dataset.fingerprint == dataset.fingerprint)
  }

  @Test func badVideosAreSkippedAndDamagedCacheFilesNeverLoadWrong() throws {
    let bench = try Workbench("pipeline-damage", subjects: 1)
    defer { bench.remove() }
    let corrupt = bench.videos.appendingPathComponent("subject 1/anger/sentence 2/s1_an_2.avi")
    let empty = bench.videos.appendingPathComponent("subject 1/fear/sentence 2/s1_fe_2.avi")
    for file in [corrupt, empty] {
      try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    }
    try Data("RIFF\u{0}\u{0}\u{0}\u{0}AVI not really a video".utf8).write(to: corrupt)
    try Data().write(to: empty)

    let first = try bench.load()
    #expect(first.dataset.clips.count == 6)
    #expect(first.report.requested == 8 && first.report.decoded == 6)
    #expect(
      first.report.skipped.map(\.source.id).sorted() == [
        "subject 1/anger/sentence 2/s1_an_2.avi", "subject 1/fear/sentence 2/s1_fe_2.avi",
      ])
    let emptyReason = first.report.skipped.first { $0.source.id.hasSuffix("s1_fe_2.avi") }?.reason
    #expect(emptyReason == .video(.emptyFile(path: empty.path)))
    #expect(first.report.summary.contains("skipped 2"))
    let files = try bench.cacheFiles()
    #expect(files.count == 6)

    // A write interrupted before its rename: a partial file under a temporary name.
    let partial = files[0].deletingLastPathComponent().appendingPathComponent(
      ".\(files[0].lastPathComponent).999.partial")
    try Data(try Data(contentsOf: files[0]).prefix(100)).write(to: partial)
    // A cache file cut short (e.g. a full disk while copying the folder).
    let full = try Data(contentsOf: files[1])
    try full.prefix(full.count / 2).write(to: files[1])
    // A complete cache file of another clip under this clip's name.
    try FileManager.default.removeItem(at: files[2])
    try FileManager.default.copyItem(at: files[3], to: files[2])

    let second = try bench.load()
    #expect(second.report.rejectedCacheFiles.count == 2)
    #expect(second.report.decoded == 2 && second.report.cached == 4 && second.report.skipped.count == 2)
    #expect(second.dataset.fingerprint == first.dataset.fingerprint)

    // The rebuilt files are whole again.
    let third = try bench.load()
    #expect(third.report.decoded == 0 && third.report.rejectedCacheFiles.isEmpty)
    #expect(third.dataset.fingerprint == first.dataset.fingerprint)
  }

  @Test func cacheKeyFollowsTheFileAndTheSettings() throws {
    let tree = try TemporaryTree("pipeline-key")
    defer { tree.remove() }
    try tree.touch("clip.avi", contents: "not decoded: the key only reads the file's size and time")
    let path = tree.root.appendingPathComponent("clip.avi").path
    let before = try #require(PreparedClipCache.key(path: path, settings: tinySettings))
    #expect(PreparedClipCache.key(path: path, settings: tinySettings) == before)
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: path)
    let touched = try #require(PreparedClipCache.key(path: path, settings: tinySettings))
    #expect(touched != before)
    try tree.touch("clip.avi", contents: "longer content, same modification time as set below")
    try FileManager.default.setAttributes(
      [.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: path)
    #expect(PreparedClipCache.key(path: path, settings: tinySettings) != touched)
    #expect(
      PreparedClipCache.key(path: path, settings: .standard)
        != PreparedClipCache.key(path: path, settings: tinySettings))
    #expect(PreparedClipCache.key(path: path + ".missing", settings: tinySettings) == nil)
  }

  @Test func openingTheCacheDeletesPartialFilesOfFinishedWriters() throws {
    let tree = try TemporaryTree("pipeline-partials")
    defer { tree.remove() }
    let clips = tree.root.appendingPathComponent("cache/clips")
    try FileManager.default.createDirectory(at: clips, withIntermediateDirectories: true)
    // pid_max is at most 2^22 on Linux, so no process has the first pid; this test's process has the second.
    let abandoned = ".0123456789abcdef.safetensors.2147483646.partial"
    let inFlight = ".fedcba9876543210.safetensors.\(getpid()).partial"
    for name in [abandoned, inFlight, "0123456789abcdef.safetensors"] {
      try Data("x".utf8).write(to: clips.appendingPathComponent(name))
    }
    _ = try PreparedClipCache(folder: tree.root.appendingPathComponent("cache"))
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: clips.path))
    #expect(left == [inFlight, "0123456789abcdef.safetensors"])
  }

  @Test func nothingPreparedIsAnErrorCarryingTheReport() throws {
    let tree = try TemporaryTree("pipeline-none")
    defer { tree.remove() }
    let ghost = ClipSource(
      id: "ghost.avi", subject: "1", label: .fear,
      location: .file(path: tree.root.appendingPathComponent("ghost.avi").path))
    let preparer = try VideoDatasetPreparer(settings: tinySettings, cache: nil, workers: 1)
    #expect {
      try preparer.prepare([ghost], name: "none", provenance: "test")
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
