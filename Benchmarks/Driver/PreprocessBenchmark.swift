import FERData
import FERSystem
import FERVideo
import Foundation

// The video pre-processing, at the defaults (T = 16, S = 48):
//
// 0. At eNTERFACE'05's size, 720×576 (PreprocessBenchmark+Enterface.swift): the
//    training preparation and predict's every-frame pass in frames/s, and
//    `ferlab predict` end to end against real time.
// 1. Whole pipeline, clips/s: synthetic clips exported as .avi to a temporary
//    folder (2 subjects × 6 classes, 48 frames each, at two source sizes),
//    prepared without the cache by 1 and by 2 workers; then the stages of one
//    clip on one thread (decode, face track, crop, motion).
// 2. Farnebäck flow per frame pair at 48×48 and 96×96 on the flow fixtures
//    (Tests/FERVideoTests/Fixtures/flow, shrunk by pixel-area averaging),
//    beside OpenCV's calcOpticalFlowFarneback on the same fixtures, run by
//    Benchmarks/peers/bench_flow_opencv.py with $PEER_PYTHON when set.

extension Benchmark {
  static let preprocess = Benchmark(
    name: "preprocess",
    summary: "video pre-processing (decode, face track, crop, flow, dynamic images) and Farnebäck vs OpenCV",
    run: runPreprocessBenchmark)
}

private func runPreprocessBenchmark(_ options: BenchOptions) -> [String: Any]? {
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
    "ferlab-bench-preprocess-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: scratch) }
  var result: [String: Any] = [:]
  do {
    say("eNTERFACE'05-like clips, 720×576:")
    result["enterface_like"] = try benchmarkEnterfaceLike(scratch: scratch)
    say("")
    try benchmarkPipeline(scratch: scratch)
    try benchmarkFlow()
  } catch {
    say("preprocess benchmark failed: \(error)")
  }
  return result
}

private func benchmarkPipeline(scratch: URL) throws {
  var table = Table("source videos", "clips", "workers", "s", "clips/s", "face fallback frames")
  var stages = Table("source videos", "decode ms", "track ms", "crop ms", "motion ms")
  for side in [48, 192] {
    let spec = try SyntheticSpec.default.with(subjects: 2, clipsPerClass: 1, frames: 48, size: side)
    let root = scratch.appendingPathComponent("s\(side)")
    try SyntheticVideoExport.write(spec, to: root)
    let sources = try EnterfaceLoader.discover(root: root).sources
    let label = "\(side)×\(side), \(spec.frames) frames"
    for workers in [1, 2] {
      let preparer = try VideoDatasetPreparer(settings: .standard, cache: nil, workers: workers)
      var fallback = 0
      let seconds = medianSeconds(warmup: 1, repeats: 3) {
        fallback = (try? preparer.prepare(sources, name: "bench", provenance: "bench").report.fallbackFrames) ?? -1
      }
      table.add(
        label, "\(sources.count)", "\(workers)", fixed(seconds, 2), fixed(Double(sources.count) / seconds, 1),
        "\(fallback) of \(sources.count * 16)")
    }
    let stage = try stageSeconds(
      URL(fileURLWithPath: sources[0].path ?? ""), frameCount: 16, trackers: [try FaceTracker()])
    stages.rows.append([label] + [stage.decode, stage.tracks[0], stage.crop, stage.motion].map { fixed($0 * 1e3, 2) })
  }
  say(table.render())
  say("\none clip on one thread, T = 16, S = 48 (median of 5):")
  say(stages.render())
}

/// Seconds of decode, the face track by each of `trackers` (the crop follows the first's), crop
/// and motion for the video at `url`, decoded whole or to `frameCount` frames, on one compute
/// thread (median of 5 each); and the number of frames decoded.
func stageSeconds(
  _ url: URL, frameCount: Int?, trackers: [FaceTracker]
) throws -> (decode: Double, tracks: [Double], crop: Double, motion: Double, frames: Int) {
  let threads = ComputeThreads.count
  ComputeThreads.set(1)
  defer { ComputeThreads.set(threads) }
  let decoder = try VideoDecoder()
  let cropper = FaceCropper(size: 48)
  var frames: [RGBFrame] = []
  let decode = medianSeconds(warmup: 1, repeats: 5) {
    frames = (try? decoder.decode(url, options: VideoDecodingOptions(frameCount: frameCount)).frames) ?? []
  }
  let tracks = trackers.map { tracker in medianSeconds(warmup: 1, repeats: 5) { _ = tracker.track(frames) } }
  let track = trackers[0].track(frames)
  var crops = TensorValue(cropper.clip(frames, track: track))
  let crop = medianSeconds(warmup: 1, repeats: 5) { crops = TensorValue(cropper.clip(frames, track: track)) }
  let motion = medianSeconds(warmup: 1, repeats: 5) { _ = extractMotion(frames: crops) }
  return (decode, tracks, crop, motion, frames.count)
}

private func benchmarkFlow() throws {
  let folder = repositoryRoot.appendingPathComponent("Tests/FERVideoTests/Fixtures/flow")
  struct Manifest: Decodable {
    struct Pair: Decodable { let name: String }
    let pairs: [Pair]
  }
  let manifest = try JSONDecoder().decode(
    Manifest.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
  let pairs = try manifest.pairs.map { pair in
    (
      try readPGM(folder.appendingPathComponent("\(pair.name)_0.pgm")),
      try readPGM(folder.appendingPathComponent("\(pair.name)_1.pgm"))
    )
  }
  let peer = openCVFlowTimings()
  var table = Table("frame size", "pairs", "ours ms/pair", "OpenCV ms/pair", "ours/OpenCV")
  for side in [48, 96] {
    let shrunk = pairs.map {
      ($0.0.resized(width: side, height: side, method: .area), $0.1.resized(width: side, height: side, method: .area))
    }
    let seconds = medianSeconds(warmup: 3, repeats: 15) {
      for (a, b) in shrunk { _ = farnebackFlow(from: a, to: b) }
    }
    let ours = seconds * 1e3 / Double(shrunk.count)
    let theirs = peer?["\(side)x\(side)"]
    table.add(
      "\(side)×\(side)", "\(shrunk.count)", fixed(ours, 3), theirs.map { fixed($0, 3) } ?? "-",
      theirs.map { fixed(ours / $0, 2) } ?? "-")
  }
  say("\nFarnebäck flow, OpenCV's common parameters (0.5, 3, 15, 3, 5, 1.2), wall time:")
  say(table.render())
  if peer == nil { say("(no OpenCV peer: set PEER_PYTHON to a Python with opencv-python, or run `make bench`)") }
}

/// OpenCV's wall ms per pair by size ("48x48"), from the peer script; nil without a peer.
private func openCVFlowTimings() -> [String: Double]? {
  guard let python = ProcessInfo.processInfo.environment["PEER_PYTHON"], !python.isEmpty,
    let result = runPeer(python, [repositoryRoot.appendingPathComponent("Benchmarks/peers/bench_flow_opencv.py").path]),
    let timings = result["ms_per_pair"] as? [String: Double]
  else { return nil }
  say("OpenCV \(result["opencv"] as? String ?? "?") peer: \(python)")
  return timings
}

/// A binary (P5) 8-bit PGM file as a gray image.
private func readPGM(_ url: URL) throws -> GrayImage {
  let bytes = [UInt8](try Data(contentsOf: url))
  var fields: [Int] = []
  var i = 2
  // Header: "P5", width, height, maxval, separated by whitespace, then one whitespace byte.
  while fields.count < 3 && i < bytes.count {
    while i < bytes.count && (bytes[i] == 32 || (9...13).contains(bytes[i])) { i += 1 }
    var value = 0
    while i < bytes.count && (48...57).contains(bytes[i]) {
      value = value * 10 + Int(bytes[i] - 48)
      i += 1
    }
    fields.append(value)
  }
  guard bytes.starts(with: [80, 53]), fields.count == 3, fields[2] == 255 else {
    throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
  }
  let (width, height) = (fields[0], fields[1])
  let start = i + 1
  guard bytes.count >= start + width * height else { throw CocoaError(.fileReadCorruptFile) }
  return GrayImage(width: width, height: height, bytes: Array(bytes[start..<(start + width * height)]))
}
