import FERVideo
import Foundation

// `ferlab synth --out DIR`: the synthetic dataset written as real video files
// in the eNTERFACE'05 layout (EnterfaceLayout), so the whole video pipeline —
// discovery, ffmpeg decoding, face tracking, cropping, motion, the cache — can
// be run end to end without the real dataset. Clips are drawn one at a time
// (the default spec's 1,290 clips would be half a gigabyte of floats at once)
// by `workers` threads, each running its own ffmpeg encoder.

/// Writes synthetic datasets as video files.
public enum SyntheticVideoExport {
  /// Draws every clip of `spec` and writes it under `root` as
  /// `subject N/<emotion>/sentence K/sN_<code>_K.<fileExtension>` (avi: Motion JPEG; mp4: H.264).
  /// `progress(done, total, path)` is called from worker threads. Returns the paths written, in dataset order.
  @discardableResult
  public static func write(
    _ spec: SyntheticSpec, to root: URL, fileExtension: String = "avi",
    workers: Int = ProcessInfo.processInfo.activeProcessorCount,
    progress: @Sendable (Int, Int, String) -> Void = { _, _, _ in }
  ) throws -> [URL] {
    precondition(workers >= 1, "SyntheticVideoExport: workers \(workers) must be at least 1")
    let sources = SyntheticGenerator.clipSources(spec)
    let identities = (0..<spec.subjects).map { SyntheticGenerator.identity(spec, subjectIndex: $0) }
    let urls = sources.map {
      root.appendingPathComponent(EnterfaceLayout.relativePath(of: $0, fileExtension: fileExtension) ?? $0.id)
    }
    let shape = [spec.frames, 3, spec.size, spec.size]
    let frameSize = FrameSize(width: spec.size, height: spec.size)
    let claims = DoneCounter()
    let finished = DoneCounter()
    var failures = [(any Error)?](repeating: nil, count: sources.count)
    failures.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      DispatchQueue.concurrentPerform(iterations: min(workers, sources.count)) { _ in
        while true {
          let i = claims.increment() - 1
          guard i < sources.count else { return }
          let values = SyntheticGenerator.renderClip(
            spec, identity: identities[i / (Emotion.count * spec.clipsPerClass)], label: sources[i].label, clipIndex: i)
          do {
            try FileManager.default.createDirectory(
              at: urls[i].deletingLastPathComponent(), withIntermediateDirectories: true)
            let clip = try PreparedClip(source: sources[i], frames: TensorValue(shape: shape, data: values))
            try VideoEncoder.write(
              clip.rgbFrameBytes().map { RGBFrame(width: frameSize.width, height: frameSize.height, pixels: $0) },
              to: urls[i])
          } catch {
            out[i] = error
          }
          progress(finished.increment(), sources.count, urls[i].path)
        }
      }
    }
    if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
    return urls
  }
}
