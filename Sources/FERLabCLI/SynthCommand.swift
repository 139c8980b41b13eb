import ArgumentParser
import FERData
import Foundation

/// `ferlab synth`: the synthetic dataset as video files in the eNTERFACE'05 layout.
struct SynthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth",
    abstract: "Write the synthetic dataset as video files in the eNTERFACE'05 folder layout.",
    discussion: """
      Files go to DIR/subject N/<emotion>/sentence K/sN_<code>_K.avi, so `ferlab prepare DIR --layout enterface` \
      reads them back like the real dataset. Options override fields of the preset.
      """)

  @Option(help: "Output folder (created if missing; existing clips are overwritten).")
  var out: String

  @Option(help: "Spec to start from: \(SyntheticSpec.presets.keys.sorted().joined(separator: " or ")).")
  var preset = "default"

  @Option(help: "Number of subjects.")
  var subjects: Int?

  @Option(help: "Clips of each class per subject.")
  var clipsPerClass: Int?

  @Option(help: "Frames per clip (T).")
  var frames: Int?

  @Option(help: "Frame side in pixels (S).")
  var size: Int?

  @Option(help: "Random seed.")
  var seed: UInt64?

  @Option(help: "Container: avi (Motion JPEG) or mp4 (H.264; needs an even size).")
  var format = "avi"

  func run() throws {
    guard let base = SyntheticSpec.presets[preset] else {
      throw Failure(
        "--preset \(preset): use one of \(SyntheticSpec.presets.keys.sorted().joined(separator: ", "))")
    }
    guard ["avi", "mp4"].contains(format) else { throw Failure("--format \(format): use avi or mp4") }
    let spec: SyntheticSpec
    do {
      spec = try base.with(subjects: subjects, clipsPerClass: clipsPerClass, frames: frames, size: size, seed: seed)
    } catch {
      throw Failure(error.description)
    }
    let root = URL(fileURLWithPath: out)
    let progress = ProgressReporter()
    try SyntheticVideoExport.write(spec, to: root, fileExtension: format) { done, total, path in
      progress.fraction(Double(done) / Double(max(total, 1)), "synth \(done)/\(total) \(path.dropFirst(root.path.count + 1))")
    }
    print(
      "wrote \(spec.clipCount) clips (\(spec.subjects) subjects × 6 classes × \(spec.clipsPerClass), "
        + "T = \(spec.frames), S = \(spec.size)) to \(root.path)")
  }
}
