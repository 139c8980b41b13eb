import ArgumentParser
import FERWorkspace

/// `ferlab predict VIDEO --checkpoint C`: the workspace's `open` and `predict`, headless.
struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Predict the expression in a video: clip probabilities and a per-window timeline.",
    discussion: """
      Runs `open CHECKPOINT` and `predict VIDEO` in a headless workspace (with --data, its `load` first). The \
      video goes through the training pre-processing (T frames sampled uniformly, face crop, flow, dynamic \
      images) at the checkpoint's input size; windows of --window seconds, every --stride seconds, give the \
      timeline. --session records it; `ferlab replay` checks it.

      \(settingsHelp)
      """)

  // Before the options: the settings' catch-all would otherwise take the video's word.
  @Argument(help: "A video file (.avi, .mp4, … anything ffmpeg reads) or a folder of frames.") var video: String
  @OptionGroup var experiment: ExperimentOptions
  @Option(help: "A trained checkpoint (safetensors with its spec).") var checkpoint: String
  @Option(help: "Frames per clip T (default: the dataset's with --data, else 16).") var frames: Int?
  @Option(help: "Window length in seconds for the timeline.") var window: Double = 1.0
  @Option(help: "Window stride in seconds.") var stride: Double = 0.5

  func run() throws {
    var line = "predict \(Words.quoted(video)) window=\(window) stride=\(stride)"
    if let frames { line += " frames=\(frames)" }
    try experiment.run(["open \(Words.quoted(checkpoint))", line], main: 1, needsData: false)
  }
}
