import FERCore
import FERData
import FERExperiments
import FERModels
import Foundation

// `flow [T]`: gradient flow through time in the rgb ConvLSTM stream, for the
// conventional cell and the cell with the switches as set (`set temporal …`),
// at initialisation (same seed, same clip), and for the current run's model
// when there is one.

extension Workspace {
  func measureFlow(frames: Int?, _ ctx: JobContext, results: inout [String: JSONValue]) throws {
    let (base, seed, defaultFrames) = update { ($0.spec, $0.seed, $0.flowFrames) }
    let steps = frames ?? defaultFrames
    ctx.setActivity(.measuringFlow)
    let (clips, source) = flowClips(size: base.inputSize)
    let rgb = resampled(clips, steps: steps)
    let labels = clips.map(\.source.label.rawValue)
    ctx.print("gradient flow on \(clips.count) clips of \(steps) frames (\(source)), rgb stream, seed \(seed)")

    var measured: [LabelledFlowReport] = []
    var conventional = base.convLSTM
    conventional.setSwitches(false)
    // The conventional cell, and beside it the switches as set (unless they are all off).
    let cells = [conventional] + (base.convLSTM.isConventional ? [] : [base.convLSTM])
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
    update { $0.gradientFlow = measured }
    for m in measured {
      let bottom = m.report.layers.first?.hidden ?? []
      ctx.print(
        "\(m.label): ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ = \(String(format: "%.3g", m.report.firstToLastRatio)) (bottom layer), loss \(String(format: "%.4f", m.report.loss)), ‖∂L/∂h_t‖ from \(String(format: "%.3g", bottom.first ?? 0)) to \(String(format: "%.3g", bottom.last ?? 0))")
    }
    results["frames"] = .of(steps)
    results["reports"] = .array(measured.map { m in
      .object([
        "label": .string(m.label), "loss": .of(m.report.loss), "firstToLast": .of(m.report.firstToLastRatio),
        "hidden": .array(m.report.layers.map { .of($0.hidden) }), "cell": .array(m.report.layers.map { .of($0.cell) }),
        "input": .of(m.report.input),
        "groups": .object(Dictionary(m.report.parameterGroups.map { ($0.group, JSONValue.of($0.norm)) }, uniquingKeysWith: { a, _ in a })),
      ])
    })
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
