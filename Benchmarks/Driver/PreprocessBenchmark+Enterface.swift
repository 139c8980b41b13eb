import FERCore
import FERData
import FERModels
import FERSystem
import FERVideo
import Foundation

// The pre-processing at eNTERFACE'05's size: 720×576 clips at 25 frames/s, 3 s each,
// MPEG-4 part 2 in AVI as the dataset's own, with one face of about 160 px: the
// fixtures' photograph (Tests/FERVideoTests/Fixtures/faces/astronaut.pgm) cut around
// its face, enlarged, drifting over ffmpeg's busy `testsrc2` pattern (colour bars,
// a moving gradient and counters: edges and text for the detector to reject) with
// sensor noise, each clip another drift.
//
//   prepare      the training pre-processing of `clips` clips by 2 workers
//                (decode, T = 16 frames sampled, face track, crop, flow, dynamic
//                images), no cache: source frames per second
//   every frame  what `predict` does to a video: every frame decoded, tracked and
//                cropped, the flow of every pair and the dynamic images, two clips at
//                a time: frames per second
//   stages       one clip on one thread, ms per frame: decode, the face track scanning
//                every frame whole and scanning every 8th (the default; the others
//                around the last face), crop, flow and dynamic images
//   predict      `ferlab predict CLIP --checkpoint C` (the executable beside this one,
//                the `paper` preset's weights at seed 0), start-up included: its wall
//                time against the clip's 3 s

/// Figures of the 720×576 rows, for `--json`.
func benchmarkEnterfaceLike(scratch: URL) throws -> [String: Any] {
  let clips = try enterfaceLikeClips(count: 8, in: scratch.appendingPathComponent("enterface-like"))
  let framesPerClip = 75
  var result: [String: Any] = ["clip": "720x576, 25 frames/s, 3 s, MPEG-4 part 2", "clips": clips.count]
  var table = Table("720×576 clips, 75 frames each", "clips", "s", "frames/s", "face fallback frames")

  // Training preparation, two workers.
  let preparer = try VideoDatasetPreparer(settings: .standard, cache: nil, workers: 2)
  let sources = clips.enumerated().map { i, url in
    ClipSource(id: url.lastPathComponent, subject: "\(i % 2 + 1)", label: .anger, location: .file(path: url.path))
  }
  var fallback = 0
  let prepare = medianSeconds(warmup: 1, repeats: 3) {
    fallback = (try? preparer.prepare(sources, name: "bench", provenance: "bench").report.fallbackFrames) ?? -1
  }
  let prepareRate = Double(clips.count * framesPerClip) / prepare
  table.add("prepare (T = 16 sampled), 2 workers", "\(clips.count)", fixed(prepare, 2), fixed(prepareRate), "\(fallback) of \(clips.count * 16)")
  result["prepare_frames_per_s"] = rounded(prepareRate, 1)

  // Every frame, as predict pre-processes a video: two clips at a time.
  let preprocessor = try ClipPreprocessor(settings: .standard)
  var everyFallback = 0
  let every = medianSeconds(warmup: 1, repeats: 3) {
    let fallbacks = parallelMap(clips.count) { i -> Int in
      guard let video = try? preprocessor.cropAllFrames(clips[i]) else { return -1 }
      _ = extractMotion(frames: video.frames)
      return video.fallbackFrames
    }
    everyFallback = fallbacks.reduce(0, +)
  }
  let everyRate = Double(clips.count * framesPerClip) / every
  table.add(
    "every frame (decode, track, crop, flow, dynamic images)", "\(clips.count)", fixed(every, 2), fixed(everyRate),
    "\(everyFallback) of \(clips.count * framesPerClip)")
  result["every_frame_frames_per_s"] = rounded(everyRate, 1)
  say(table.render())
  let whole = try FaceTracker(options: FaceTrackerOptions(redetectEvery: 1))
  let stage = try stageSeconds(clips[0], frameCount: nil, trackers: [try FaceTracker(), whole])
  let perFrame = 1e3 / Double(max(stage.frames, 1))
  let stages = (
    decode: stage.decode * perFrame, track: stage.tracks[0] * perFrame, trackEveryFrame: stage.tracks[1] * perFrame,
    crop: stage.crop * perFrame, motion: stage.motion * perFrame
  )
  say(
    "\none clip on one thread, ms per frame (median of 5): decode \(fixed(stages.decode, 2)), face track "
      + "\(fixed(stages.trackEveryFrame, 2)) scanning every frame whole, \(fixed(stages.track, 2)) every 8th "
      + "(\(fixed(stages.trackEveryFrame / stages.track, 1))×), crop \(fixed(stages.crop, 2)), "
      + "flow and dynamic images \(fixed(stages.motion, 2))")
  result["stages_ms_per_frame"] = [
    "decode": rounded(stages.decode, 3), "track_every_frame_whole": rounded(stages.trackEveryFrame, 3),
    "track": rounded(stages.track, 3), "crop": rounded(stages.crop, 3), "motion": rounded(stages.motion, 3),
  ]

  if let predict = try predictSeconds(clips[0], scratch: scratch) {
    say(
      "ferlab predict on one 3 s clip (paper preset, start-up included): \(fixed(predict.median, 2)) s "
        + "(\(fixed(3 / predict.median, 1))× real time; runs \(predict.runs.map { fixed($0, 2) }.joined(separator: ", ")) s)")
    result["predict_s"] = rounded(predict.median, 3)
    result["predict_times_real_time"] = rounded(3 / predict.median, 2)
  } else {
    say("(ferlab predict skipped: build the `ferlab` product beside ferlab-bench)")
  }
  return result
}

/// Writes `count` clips (another drift each) into `folder`.
private func enterfaceLikeClips(count: Int, in folder: URL) throws -> [URL] {
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let face = repositoryRoot.appendingPathComponent("Tests/FERVideoTests/Fixtures/faces/astronaut.pgm").path
  let ffmpeg = try FFmpegTools.shared().ffmpeg
  return try (0..<count).map { k in
    let url = folder.appendingPathComponent("clip\(k).avi")
    // The photograph's face (cv2 finds it at 86, 31, 53×53 in the 256×256 image), cut with its
    // surroundings, enlarged 3×, drifting by a few pixels a frame.
    let drift = "x='195+\(20 + 5 * k)*sin(\(2 + k)*t/3)':y='110+\(8 + k)*cos(3*t)'"
    let filter = "[1]crop=110:120:58:0,scale=330:360,format=gray[f];[0]format=yuv420p[b];[b][f]overlay=\(drift):shortest=1,"
      + "noise=alls=5:allf=t,format=yuv420p"
    let (status, _, err) = try Subprocess.run(
      ffmpeg,
      [
        "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=720x576:r=25:d=3",
        "-loop", "1", "-i", face, "-filter_complex", filter, "-c:v", "mpeg4", "-q:v", "4", "-r", "25", url.path,
      ])
    guard status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: err]) }
    return url
  }
}

/// Wall seconds of `ferlab predict` on `clip` (5 runs after one unmeasured), or nil without the executable.
private func predictSeconds(_ clip: URL, scratch: URL) throws -> (median: Double, runs: [Double])? {
  let ferlab = Subprocess.builtExecutable(named: "ferlab")
  guard FileManager.default.isExecutableFile(atPath: ferlab.path) else { return nil }
  guard let spec = ModelSpec.preset(named: "paper") else { return nil }
  let checkpoint = scratch.appendingPathComponent("paper-seed0.safetensors")
  try Checkpoint.save(try FERModel(spec: spec, seed: 0), to: checkpoint)
  var runs: [Double] = []
  for round in 0..<6 {
    let start = DispatchTime.now().uptimeNanoseconds
    let (status, _, err) = try Subprocess.run(ferlab, ["predict", clip.path, "--checkpoint", checkpoint.path])
    guard status == 0 else {
      say("(ferlab predict failed: \(lastLines(of: err)))")
      return nil
    }
    if round > 0 { runs.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9) }
  }
  return (median(runs), runs)
}
