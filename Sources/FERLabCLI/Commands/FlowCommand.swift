import ArgumentParser
import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

/// `ferlab flow`: gradient flow through time, conventional vs enhanced ConvLSTM.
struct FlowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flow",
    abstract: "Measure ‖∂L/∂h_t‖ per time step and layer, conventional vs Enhanced ConvLSTM, at initialisation.",
    discussion: "Clips of --frames frames are built from the synthetic dataset (frames repeated in order when the clip is shorter). With --checkpoint the trained model is measured instead of the two fresh ones.")

  @OptionGroup var data: DataOptions
  @OptionGroup var model: ModelOptions
  @Option(help: "Clip length T.") var frames: Int = 32
  @Option(help: "Clips in the measured minibatch.") var batch: Int = 4
  @Option(help: "A checkpoint to measure instead of fresh models.") var checkpoint: String?
  @Flag(help: "Print results as JSON.") var json = false

  func run() throws {
    guard frames >= 2 else { throw ValidationError("--frames must be at least 2") }
    let progress = ProgressReporter()
    var base = try model.resolve(inputSize: nil)
    base.streams = [.rgb]
    let dataset = try data.load(motion: false, progress: progress)
    base.inputSize = dataset.size
    let clips = Array(dataset.clips.prefix(batch))
    let input = ModelInput(rgb: stretchedClips(clips, frames: frames))
    let labels = clips.map(\.source.label.rawValue)

    var reports: [(String, GradientFlowReport)] = []
    if let checkpoint {
      let trained = try Checkpoint.load(from: URL(fileURLWithPath: checkpoint))
      reports.append(("checkpoint", try measureGradientFlow(model: trained, input: input, labels: labels)))
    } else {
      for (name, on) in [("conventional", false), ("enhanced", true)] {
        var spec = base
        spec.convLSTM.setSwitches(on)
        let fresh = try FERModel(spec: spec, seed: model.modelSeed)
        reports.append((name, try measureGradientFlow(model: fresh, input: input, labels: labels)))
      }
    }
    if json { return try Output.json(Dictionary(uniqueKeysWithValues: reports)) }
    for (name, report) in reports {
      print("\(name): loss \(String(format: "%.4f", report.loss)); ‖∂L/∂h_t‖ of layer 1, t = 1…\(frames):")
      print("  " + report.layers[0].hidden.map { String(format: "%.2e", $0) }.joined(separator: " "))
      print("  first/last step ratio \(String(format: "%.3g", report.firstToLastRatio)); ‖∂L/∂x_1‖ \(String(format: "%.2e", report.input.first ?? 0)), ‖∂L/∂x_T‖ \(String(format: "%.2e", report.input.last ?? 0))")
    }
  }
}

/// Clips [N, T, 3, S, S] of `frames` steps: each clip's frames in order, repeated as needed.
func stretchedClips(_ clips: [PreparedClip], frames: Int) -> Tensor {
  let shape = clips[0].frames.shape
  let frameSize = shape[1] * shape[2] * shape[3]
  var data: [Float] = []
  data.reserveCapacity(clips.count * frames * frameSize)
  for clip in clips {
    for t in 0..<frames {
      let source = t % shape[0]
      data += clip.frames.data[(source * frameSize)..<((source + 1) * frameSize)]
    }
  }
  return Tensor(shape: [clips.count, frames, shape[1], shape[2], shape[3]], data: data)
}
