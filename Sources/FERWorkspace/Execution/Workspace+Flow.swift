import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

// `flow [T] [grid]`: gradient flow through time in the rgb ConvLSTM stream, for
// the conventional cell and the cell with the switches as set (`set temporal …`)
// — or, with `grid`, every combination of the three switches — at
// initialisation (same seed, same clips), and for the current run's model when
// there is one.

extension Workspace {
  func measureFlow(frames: Int?, grid: Bool, _ ctx: JobContext) throws {
    let (base, seed, defaultFrames) = update { ($0.settings.spec, $0.settings.seed, $0.settings.flowFrames) }
    let steps = frames ?? defaultFrames
    ctx.setActivity(.measuringFlow)
    let (clips, source) = flowClips(size: base.inputSize)
    let rgb = resampled(clips, steps: steps)
    let labels = clips.map(\.source.label.rawValue)

    var measured: [LabelledFlowReport] = []
    var conventional = base.convLSTM
    conventional.setSwitches(false)
    // The conventional cell, and beside it the switches as set (unless they are all off); or every combination.
    let cells = grid
      ? AblationRow.switchGrid(base: base, switches: ConvLSTMSwitch.allCases).map(\.spec.convLSTM)
      : [conventional] + (base.convLSTM.isConventional ? [] : [base.convLSTM])
    for cell in cells {
      var spec = base
      spec.backbone = .convLSTM
      spec.streams = [.rgb]
      spec.inputSize = clips[0].size
      spec.convLSTM = cell
      spec.name = Self.cellName(cell)
      let model = try FERModel(spec: spec, seed: seed)
      let report = try measureGradientFlow(model: model, input: ModelInput(rgb: rgb), labels: labels, stream: .rgb)
      measured.append(LabelledFlowReport(label: "\(spec.name) (init)", report: report))
    }
    if let (summary, model) = try? run(nil), model.convLSTMLayerCount(.rgb) != nil {
      let input: ModelInput
      if model.spec.streams == [.rgb] {
        input = ModelInput(rgb: rgb)
      } else {
        // Motion streams need the dataset's own clips (flow and dynamic images match their length).
        let dataset = try requireDataset(for: model.spec.streams, ctx)
        input = try makeInput(flowClips(from: dataset), streams: model.spec.streams)
      }
      let report = try measureGradientFlow(model: model, input: input, labels: labels, stream: .rgb)
      measured.append(LabelledFlowReport(label: "run \(summary.id) (trained)", report: report))
    }
    ctx.emit(.flowMeasured(FlowMeasured(frames: steps, clips: "\(clips.count) clips: \(source)", seed: seed, reports: measured)))
  }

  /// "conventional", "enhanced" (every switch on), or the switches that are on ("temporal + norm").
  static func cellName(_ cell: ConvLSTMSpec) -> String {
    if cell.isConventional { return "conventional" }
    if cell.temporalSkip && cell.spatialSkip && cell.groupNorm { return "enhanced" }
    return [(cell.temporalSkip, "temporal"), (cell.spatialSkip, "spatial"), (cell.groupNorm, "norm")]
      .filter(\.0).map(\.1).joined(separator: " + ")
  }

  /// One clip per class: from the dataset when one is loaded, else freshly drawn synthetic clips.
  private func flowClips(size: Int) -> ([PreparedClip], String) {
    if let dataset { return (flowClips(from: dataset), "first clip of each class of \(dataset.name)") }
    let spec = (try? SyntheticSpec.small.with(subjects: 1, clipsPerClass: 1, size: max(size, SyntheticSpec.sizeRange.lowerBound))) ?? .small
    return (SyntheticGenerator.generate(spec).clips, "synthetic, one subject")
  }

  private func flowClips(from dataset: Dataset) -> [PreparedClip] {
    var seen = Set<Int>()
    return dataset.clips.filter { seen.insert($0.source.label.rawValue).inserted }
  }

  /// Frames of each clip sampled (T < T_clip) or repeated (T > T_clip) to `steps`: frame ⌊t·T_clip/T⌋. Shape [N, T, 3, S, S].
  private func resampled(_ clips: [PreparedClip], steps: Int) -> Tensor {
    let frameSize = 3 * clips[0].size * clips[0].size
    var data: [Float] = []
    data.reserveCapacity(clips.count * steps * frameSize)
    for clip in clips {
      for t in 0..<steps {
        let source = t * clip.frameCount / steps
        data += clip.frames.data[(source * frameSize)..<((source + 1) * frameSize)]
      }
    }
    return Tensor(shape: [clips.count, steps, 3, clips[0].size, clips[0].size], data: data)
  }
}
