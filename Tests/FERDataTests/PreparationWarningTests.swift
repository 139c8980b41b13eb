import FERCore
import FERVideo
import Foundation
import Testing

@testable import FERData

// Results that would mislead are reported: a video with fewer decodable frames
// than its header claims, a video shorter than the clip (frames repeat), and a
// cache file whose values changed while its shapes did not.

private let settings = try! PreprocessingSettings(frameCount: 6, cropSize: 32)

/// Videos written for one test and the preparer over a cache beside them.
private struct VideoBench {
  let tree: TemporaryTree
  var cacheFolder: URL { tree.root.appendingPathComponent("cache") }

  init(_ name: String) throws { tree = try TemporaryTree(name) }

  /// `count` frames of a moving gradient, 48×40, as an AVI; returns the file.
  func video(_ name: String, frames count: Int) throws -> URL {
    let url = tree.root.appendingPathComponent(name)
    let frames = (0..<count).map { k in
      RGBFrame(
        width: 48, height: 40,
        pixels: (0..<(48 * 40 * 3)).map { UInt8(truncatingIfNeeded: $0 / 3 % 48 * 4 + 7 * k) })
    }
    try VideoEncoder.write(frames, to: url, frameRate: 25)
    return url
  }

  func prepare(_ urls: [URL]) throws -> (dataset: Dataset, report: PreparationReport) {
    let sources = urls.map {
      ClipSource(id: $0.lastPathComponent, subject: "1", label: .happiness, location: .file(path: $0.path))
    }
    let preparer = try VideoDatasetPreparer(settings: settings, cache: PreparedClipCache(folder: cacheFolder), workers: 2)
    return try preparer.prepare(sources, name: "warnings", provenance: "test")
  }
}

/// The bytes of `url` with the AVI video stream header's length (strh dwLength) set to `frames`.
private func claimFrames(_ frames: UInt32, in url: URL) throws {
  var bytes = [UInt8](try Data(contentsOf: url))
  let tag = Array("strh".utf8)
  guard let strh = (0..<(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == tag }) else {
    Issue.record("no strh chunk")
    return
  }
  let field = strh + 8 + 32
  bytes.replaceSubrange(field..<(field + 4), with: (0..<4).map { UInt8(truncatingIfNeeded: frames >> (8 * $0)) })
  try Data(bytes).write(to: url)
}

@Suite("preparation warnings and cache checksums")
struct PreparationWarningTests {
  @Test func shortTruncatedAndOverclaimedVideosAreReported() throws {
    let bench = try VideoBench("warnings")
    defer { bench.tree.remove() }
    let whole = try bench.video("whole.avi", frames: 12)
    let claimed = try bench.video("clip.avi", frames: 20)
    try claimFrames(270, in: claimed)
    let single = try bench.video("one.avi", frames: 1)
    let cut = try bench.video("cut.avi", frames: 30)
    let bytes = try Data(contentsOf: cut)
    try bytes.prefix(bytes.count * 6 / 10).write(to: cut)

    let first = try bench.prepare([whole, claimed, single, cut])
    #expect(first.report.skipped.isEmpty, "\(first.report.lines)")
    let warnings = first.report.warnings
    #expect(warnings.count == 3, "\(warnings)")
    #expect(warnings.contains("clip.avi: header says 270 frames, 20 decoded; resampled to 6"))
    #expect(warnings.contains("one.avi: 1 frame decoded; resampled to 6 (frames repeat)"))
    let cutWarning = try #require(warnings.first { $0.hasPrefix("cut.avi: header says 30 frames, ") })
    #expect(cutWarning.hasSuffix("decoded; resampled to 6"), "\(cutWarning)")
    #expect(!warnings.contains { $0.hasPrefix("whole.avi") })
    #expect(first.report.summary.hasSuffix("3 warnings"), "\(first.report.summary)")
    #expect(first.report.lines.filter { $0.hasPrefix("  warning: ") }.count == 3)

    // From the cache, the same warnings: the counts are kept beside the clip.
    let second = try bench.prepare([whole, claimed, single, cut])
    #expect(second.report.cached == 4)
    #expect(second.report.warnings == warnings)
  }

  @Test func warningSentences() {
    let counts = SourceFrameCounts(claimed: 270, decoded: 41)
    #expect(counts.warning(clip: "clip.avi", keptFrames: 16) == "clip.avi: header says 270 frames, 41 decoded; resampled to 16")
    #expect(
      SourceFrameCounts(claimed: 30, decoded: 4).warning(clip: "c.avi", keptFrames: 16)
        == "c.avi: header says 30 frames, 4 decoded; resampled to 16 (frames repeat)")
    #expect(SourceFrameCounts(claimed: nil, decoded: 3).warning(clip: "d", keptFrames: 16) == "d: 3 frames decoded; resampled to 16 (frames repeat)")
    #expect(SourceFrameCounts(claimed: 10, decoded: 12).warning(clip: "e", keptFrames: 6) == nil)
    #expect(SourceFrameCounts(claimed: nil, decoded: 6).warning(clip: "f", keptFrames: 6) == nil)
  }

  /// A flipped byte inside a cached value leaves every shape as it was; the checksum catches it.
  @Test func aCacheFileWhoseValuesChangedIsRebuiltAndReported() throws {
    let bench = try VideoBench("checksum")
    defer { bench.tree.remove() }
    let video = try bench.video("clip.avi", frames: 8)
    let first = try bench.prepare([video])
    let cacheFile = try #require(
      try FileManager.default.contentsOfDirectory(
        at: bench.cacheFolder.appendingPathComponent("clips"), includingPropertiesForKeys: nil
      ).first { $0.pathExtension == "safetensors" })
    var bytes = [UInt8](try Data(contentsOf: cacheFile))
    bytes[bytes.count - 1000] ^= 0x40  // a value of the last tensor in the buffer
    try Data(bytes).write(to: cacheFile)
    let damaged = try SafeTensorsFile.read(from: cacheFile)
    #expect(damaged.names.count == 4, "the damaged file still parses, with its shapes")

    let second = try bench.prepare([video])
    #expect(second.report.cached == 0 && second.report.decoded == 1)
    #expect(second.report.rejectedCacheFiles.count == 1)
    #expect(second.report.rejectedCacheFiles.first?.contains("checksum mismatch") == true)
    #expect(second.report.rejectedCacheFiles.first?.hasPrefix(cacheFile.path) == true)
    #expect(second.report.lines.contains { $0.hasPrefix("  rebuilt cache file \(cacheFile.path): checksum mismatch") })
    #expect(second.dataset.fingerprint == first.dataset.fingerprint)

    let third = try bench.prepare([video])
    #expect(third.report.cached == 1 && third.report.rejectedCacheFiles.isEmpty)
  }
}
