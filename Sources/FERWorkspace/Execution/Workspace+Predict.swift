import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

// `predict VIDEO`: the current run's model on a video file, through the
// training pre-processing (T frames sampled uniformly, face crop, flow,
// dynamic images, with T and S the run's): class probabilities for the whole
// video and for windows along it.

extension Workspace {
  func predict(_ request: PredictRequest, _ ctx: JobContext) throws {
    let (summary, model) = try run(nil)
    let frames = request.frames ?? update { $0.dataset?.frames } ?? 16
    ctx.setActivity(.evaluating, progress: Progress(
      fraction: 0, label: "decoding and face-cropping \(request.video)", secondsLeft: nil, throughput: nil))
    let settings = try PreprocessingSettings(frameCount: frames, cropSize: model.spec.inputSize)
    let cropped = try ClipPreprocessor(settings: settings).cropAllFrames(URL(fileURLWithPath: request.video))
    guard cropped.frameCount >= 2 else {
      throw WorkspaceError.failed("predict: \(request.video) has \(cropped.frameCount) decodable frame; a clip needs at least 2")
    }
    let fps = cropped.frameRate ?? 25
    let names = Emotion.allCases.map(\.name)

    func probabilities(_ indices: [Int], _ id: String) throws -> [Float] {
      let clip = try cropped.clip(indices, id: id, parameters: settings.flow.parameters())
      var context = ForwardContext.evaluation
      return try GradientRecording.disabled {
        model(try makeInput([clip], streams: model.spec.streams), &context).softmax().data
      }
    }
    let whole = try probabilities(uniformIndices(frames, in: 0..<cropped.frameCount), request.video)
    var timeline: [PredictionWindow] = []
    let windowFrames = max(2, Int((request.window * fps).rounded()))
    let strideFrames = max(1, Int((request.stride * fps).rounded()))
    var start = 0
    repeat {
      let end = min(start + windowFrames, cropped.frameCount)
      let p = try probabilities(uniformIndices(frames, in: start..<end), "\(request.video)@\(start)")
      timeline.append(PredictionWindow(start: Double(start) / fps, end: Double(end) / fps, probabilities: p, predicted: names[argmax(p)]))
      ctx.setActivity(.evaluating, progress: Progress(
        fraction: Double(end) / Double(cropped.frameCount), label: "windows of \(request.video)", secondsLeft: nil, throughput: nil))
      start += strideFrames
    } while start + windowFrames <= cropped.frameCount
    ctx.emit(.predicted(Predicted(
      run: summary.id, video: request.video, frames: cropped.frameCount, fallbackFrames: cropped.fallbackFrames,
      probabilities: whole, predicted: names[argmax(whole)], timeline: timeline)))
  }
}
