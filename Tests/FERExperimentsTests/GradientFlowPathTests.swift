import FERCore
import FERData
import Foundation
import Testing
@testable import FERExperiments
@testable import FERModels

// The report's split of ∂L/∂h_t by path, for all eight switch combinations
// (temporal 1, spatial 2, norm 4) of a 3-layer stream: shares that add up to 1,
// paths that follow the switches, totals that match finite differences, and a
// Codable form that stays short and stable.

@Suite("gradient flow by path")
struct GradientFlowPathTests {
  static func setup(_ bits: Int, steps: Int) throws -> (FERModel, ModelInput, [Int]) {
    var spec = ToyData.spec
    spec.convLSTM.channels = [4, 4, 4]  // 8×8 → 4×4 → 2×2: the middle layer has a layer above and below
    spec.convLSTM.kernels = [3, 3, 3]
    spec.convLSTM.temporalSkip = bits & 1 != 0
    spec.convLSTM.spatialSkip = bits & 2 != 0
    spec.convLSTM.groupNorm = bits & 4 != 0
    let model = try FERModel(spec: spec, seed: 11)
    let clips = ToyData.clips(perClass: 1, steps: steps)
    return (model, try makeInput(clips, streams: [.rgb]), clips.map(\.source.label.rawValue))
  }

  @Test(arguments: 0..<8)
  func sharesAddUpToOneAndFollowTheSwitches(bits: Int) throws {
    let (model, input, labels) = try Self.setup(bits, steps: 5)
    let report = try measureGradientFlow(model: model, input: input, labels: labels)
    #expect(report.layers.count == 3)
    for (l, layer) in report.layers.enumerated() {
      #expect(layer.zeroSteps.isEmpty)
      for t in 0..<5 {
        let sum = GradientPath.allCases.map { layer[$0].share[t] }.reduce(0, +)
        #expect(abs(sum - 1) <= 1e-5, "bits \(bits), layer \(l), step \(t): shares add up to \(sum)")
      }
      let present = Set(layer.paths.map(\.path))
      let expected: Set<GradientPath> = Set(
        [.recurrence] + (bits & 1 != 0 ? [.temporalSkip] : [])
          + (l < 2 ? [.aboveGates] + (bits & 2 != 0 ? [.aboveSpatial] : []) : [.head]))
      #expect(present == expected, "bits \(bits), layer \(l)")
      #expect(layer.paths.map(\.path) == GradientPath.allCases.filter(present.contains))  // in a fixed order
      for path in GradientPath.allCases where !present.contains(path) {
        #expect(layer[path].norm == [0, 0, 0, 0, 0] && layer[path].share == [0, 0, 0, 0, 0])
      }
      #expect(layer[.head].norm.prefix(4).allSatisfy { $0 == 0 })  // the feature is the last step's
    }
  }

  /// ‖∂L/∂h_t‖ equals the norm of a central-difference gradient over h_t's elements, each
  /// nudged by ±ε inside the forward (the probe's test hook), as the input's test does for x_t.
  /// 2 × (512 + 128) forwards of a tiny model per combination.
  @Test(arguments: 0..<8)
  func totalsMatchFiniteDifferences(bits: Int) throws {
    let (model, input, labels) = try Self.setup(bits, steps: 3)
    let report = try measureGradientFlow(model: model, input: input, labels: labels)
    func loss(layer l: Int, step t: Int, nudge: Tensor) -> Double {
      let probes = report.layers.map { _ in ConvLSTMProbe() }
      probes[l].nudge = (t, nudge)
      var context = ForwardContext.evaluation
      return GradientRecording.disabled {
        crossEntropy(model(input, &context, probes: [.rgb: probes]).data, labels: labels)
      }
    }
    // Small: a nudge that moves an element past its max-pool window's runner-up bends the
    // difference (at 1e-2 the conventional cell's small h_t is off by 10 %); the loss in
    // Double keeps rounding below 1 % at this size.
    let epsilon: Float = 3e-4
    // The bottom layer's first step (the longest way back, through time and both layers above) and the middle layer's.
    for (l, t) in [(0, 0), (1, 1)] {
      let shape = [2, 4, 8 >> l, 8 >> l]  // h_t [N, C, H, W]: 512 and 128 elements
      var squares = 0.0
      for k in 0..<shape.reduce(1, *) {
        var plus = [Float](repeating: 0, count: shape.reduce(1, *)), minus = plus
        plus[k] = epsilon
        minus[k] = -epsilon
        let g = (loss(layer: l, step: t, nudge: Tensor(shape: shape, data: plus))
          - loss(layer: l, step: t, nudge: Tensor(shape: shape, data: minus))) / (2 * Double(epsilon))
        squares += g * g
      }
      let (reported, numeric) = (report.layers[l].hidden[t], squares.squareRoot())
      #expect(abs(reported - numeric) <= 2e-2 * numeric, "bits \(bits), layer \(l), step \(t): \(reported) vs \(numeric)")
    }
  }

  /// With every head weight at zero no gradient reaches any h_t: each step is flagged and no share is made up.
  @Test func stepsWithoutGradientAreFlagged() throws {
    let (model, input, labels) = try Self.setup(7, steps: 3)
    for (name, p) in model.namedParameters where name.hasPrefix("head.") {
      p.data = [Float](repeating: 0, count: p.count)
    }
    let report = try measureGradientFlow(model: model, input: input, labels: labels)
    for layer in report.layers {
      #expect(layer.hidden == [0, 0, 0] && layer.zeroSteps == [0, 1, 2] && layer.paths.isEmpty)
      #expect(GradientPath.allCases.allSatisfy { layer[$0].share == [0, 0, 0] })
    }
  }

  @Test func codableFormIsShortAndStable() throws {
    // The names sessions record; changing one breaks every recorded report.
    #expect(GradientPath.allCases.map(\.rawValue) == ["recurrence", "temporalSkip", "aboveGates", "aboveSpatial", "head"])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for bits in [0, 7] {
      let (model, input, labels) = try Self.setup(bits, steps: 3)
      let report = try measureGradientFlow(model: model, input: input, labels: labels)
      let data = try encoder.encode(report)
      #expect(try JSONDecoder().decode(GradientFlowReport.self, from: data) == report)
      let text = String(decoding: data, as: UTF8.self)
      for path in GradientPath.allCases {
        let alwaysThere: Set<GradientPath> = [.recurrence, .aboveGates, .head]
        #expect(text.contains("\"\(path.rawValue)\"") == (bits == 7 || alwaysThere.contains(path)), "bits \(bits): \(path)")
      }
    }
    // A layer recorded with no paths (as a session's flow results are played back) reads as all zeros.
    let bare = Data(#"{"hidden":[1,0.5],"cell":[0.25,0],"paths":[]}"#.utf8)
    let layer = try JSONDecoder().decode(LayerGradientFlow.self, from: bare)
    #expect(layer[.temporalSkip].norm == [0, 0] && layer.zeroSteps.isEmpty)
  }
}

/// Mean softmax cross-entropy of logits [N, K] in Double: the float loss would round away
/// the small differences a finite-difference check divides by 2ε.
func crossEntropy(_ logits: [Float], labels: [Int]) -> Double {
  let classes = logits.count / labels.count
  var total = 0.0
  for (s, label) in labels.enumerated() {
    let row = logits[(s * classes)..<((s + 1) * classes)].map(Double.init)
    let top = row.max() ?? 0
    total += log(row.map { exp($0 - top) }.reduce(0, +)) + top - row[label]
  }
  return total / Double(labels.count)
}
