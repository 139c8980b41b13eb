import FERCore
import FERData
import FERModels
import Testing
@testable import FERExperiments

@Suite("gradient-flow probes")
struct GradientFlowTests {
  static func setup(steps: Int, switches: Bool) throws -> (FERModel, ModelInput, [Int]) {
    var spec = ToyData.spec
    spec.convLSTM.setSwitches(switches)
    let model = try FERModel(spec: spec, seed: 11)
    let clips = ToyData.clips(perClass: 1, steps: steps)
    return (model, try makeInput(clips, streams: [.rgb]), clips.map(\.source.label.rawValue))
  }

  /// ‖∂L/∂x_t‖ from the probe equals the norm of a central-difference gradient over x_t's elements.
  @Test(arguments: [false, true])
  func inputNormsMatchFiniteDifferences(switches: Bool) throws {
    let (model, input, labels) = try Self.setup(steps: 3, switches: switches)
    let report = try measureGradientFlow(model: model, input: input, labels: labels)
    let x = try #require(input.rgb)
    let inner = x.count / (x.shape[0] * x.shape[1])
    func loss(_ values: [Float]) -> Double {
      var probe = input
      probe.rgb = Tensor(shape: x.shape, data: values)
      var context = ForwardContext.evaluation
      return GradientRecording.disabled {
        Double(Tensor.softmaxCrossEntropy(logits: model(probe, &context), labels: labels).scalar)
      }
    }
    let epsilon: Float = 1e-2
    for t in 0..<x.shape[1] {
      var squares = 0.0
      for s in 0..<x.shape[0] {
        // Every element of step t: 2 clips × 3 × 8 × 8 = 384 probes per step.
        for i in 0..<inner {
          let k = (s * x.shape[1] + t) * inner + i
          var plus = x.data, minus = x.data
          plus[k] += epsilon
          minus[k] -= epsilon
          let g = (loss(plus) - loss(minus)) / (2 * Double(epsilon))
          squares += g * g
        }
      }
      let numeric = squares.squareRoot()
      #expect(abs(report.input[t] - numeric) <= 2e-2 * numeric + 1e-5, "step \(t): probe \(report.input[t]) vs numeric \(numeric)")
    }
  }

  @Test func reportShapesAndPaths() throws {
    let (model, input, labels) = try Self.setup(steps: 6, switches: true)
    let report = try measureGradientFlow(model: model, input: input, labels: labels)
    #expect(report.steps == 6 && report.layers.count == 2 && report.input.count == 6)
    for layer in report.layers {
      let (recurrence, skip) = (layer[.recurrence].norm, layer[.temporalSkip].norm)
      #expect(layer.hidden.count == 6 && skip.count == 6 && layer[.temporalSkip].share.count == 6)
      #expect(recurrence[5] == 0)  // the last step feeds no later step
      #expect(skip[4] == 0 && skip[5] == 0)  // nothing after t+2
      #expect(skip[0] > 0)  // the temporal skip carries gradient back two steps
    }
    #expect(report.parameterGroups.map(\.group).contains("rgb.layers.0"))
    #expect(report.parameterGroups.map(\.group).contains("head.fc3"))
    #expect(model.parameters.allSatisfy { $0.grad == nil })  // the measurement leaves no gradients behind

    let (conventional, input2, _) = try Self.setup(steps: 6, switches: false)
    let plain = try measureGradientFlow(model: conventional, input: input2, labels: labels)
    #expect(plain.layers.allSatisfy { $0[.temporalSkip].norm.allSatisfy { $0 == 0 } })
  }

  @Test func refusesStreamsWithoutConvLSTM() throws {
    var spec = ToyData.spec
    spec.streams = [.rgbDynamic]
    let model = try FERModel(spec: spec, seed: 1)
    #expect(throws: GradientFlowError.self) {
      try measureGradientFlow(model: model, input: ModelInput(), labels: [0])
    }
  }
}
