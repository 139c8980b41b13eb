import ArgumentParser
import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

/// `ferlab predict VIDEO --checkpoint C`: class probabilities for a video and a per-window timeline.
struct PredictCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "predict",
    abstract: "Predict the expression in a video: clip probabilities and a per-window timeline.",
    discussion: "The video goes through the training pre-processing (T frames sampled uniformly, face crop, flow, dynamic images) with T and S taken from the checkpoint's model. Windows of --window seconds, every --stride seconds, give the timeline.")

  @Argument(help: "A video file (.avi, .mp4, … anything ffmpeg reads) or a folder of frames.") var video: String
  @Option(help: "A trained checkpoint (safetensors with its spec).") var checkpoint: String
  @Option(help: "Frames per clip T.") var frames: Int = 16
  @Option(help: "Window length in seconds for the timeline.") var window: Double = 1.0
  @Option(help: "Window stride in seconds.") var stride: Double = 0.5
  @Flag(help: "Print results as JSON.") var json = false

  struct Prediction: Encodable {
    let video: String
    let classes: [String]
    let probabilities: [Float]
    let predicted: String
    let timeline: [Window]
    struct Window: Encodable {
      let start: Double, end: Double, probabilities: [Float], predicted: String
    }
  }

  func run() throws {
    for (name, seconds) in [("--window", window), ("--stride", stride)] where !(seconds > 0 && seconds <= 3600) {
      throw Failure("\(name) \(seconds): give a positive number of seconds, at most 3600")
    }
    let progress = ProgressReporter()
    let model = try Checkpoint.load(from: URL(fileURLWithPath: checkpoint))
    let settings = try PreprocessingSettings(frameCount: frames, cropSize: model.spec.inputSize)
    let preprocessor = try ClipPreprocessor(settings: settings)
    progress.note("decoding and face-cropping \(video)")
    let cropped = try preprocessor.cropAllFrames(URL(fileURLWithPath: video))
    guard cropped.frameCount >= 2 else { throw Failure("\(video) has \(cropped.frameCount) frame; a clip needs at least 2") }
    let fps = cropped.frameRate ?? 25
    let names = Emotion.allCases.map(\.name)

    func probabilities(_ indices: [Int], _ id: String) throws -> [Float] {
      let clip = try cropped.clip(indices, id: id, parameters: settings.flow.parameters())
      var context = ForwardContext.evaluation
      return try GradientRecording.disabled {
        model(try makeInput([clip], streams: model.spec.streams), &context).softmax().data
      }
    }
    let whole = try probabilities(uniformIndices(frames, in: 0..<cropped.frameCount), video)
    var timeline: [Prediction.Window] = []
    let windowFrames = max(2, Int((window * fps).rounded())), strideFrames = max(1, Int((stride * fps).rounded()))
    var start = 0
    repeat {
      let end = min(start + windowFrames, cropped.frameCount)
      let p = try probabilities(uniformIndices(frames, in: start..<end), "\(video)@\(start)")
      timeline.append(.init(start: Double(start) / fps, end: Double(end) / fps, probabilities: p, predicted: names[argmax(p)]))
      progress.fraction(Double(end) / Double(cropped.frameCount), "windows")
      start += strideFrames
    } while start + windowFrames <= cropped.frameCount
    let result = Prediction(
      video: video, classes: names, probabilities: whole, predicted: names[argmax(whole)], timeline: timeline)
    if json { return try Output.json(result) }
    print("\(video): \(result.predicted) (\(cropped.frameCount) frames, \(cropped.fallbackFrames) without a detected face)")
    print(zip(names, whole).map { "\($0) \(String(format: "%.3f", $1))" }.joined(separator: "  "))
    Output.table(ResultTable(
      header: ["window s", "predicted"] + names.map { String($0.prefix(4)) },
      rows: timeline.map { w in
        [String(format: "%.2f–%.2f", w.start, w.end), w.predicted] + w.probabilities.map { String(format: "%.2f", $0) }
      }))
  }
}
