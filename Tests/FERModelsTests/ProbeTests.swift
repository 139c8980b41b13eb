import FERCore
import Testing
@testable import FERModels

// The gradient-flow probe of a ConvLSTM stream: its five parts of ∂L/∂h_t add up
// to the total, switched-off paths carry nothing, and probing changes no value.

@Suite("gradient-flow probe")
struct ProbeTests {
  /// Switch combination `bits` (temporal 1, spatial 2, norm 4) as a name for messages.
  static func name(_ bits: Int) -> String {
    "temporal \(bits & 1 != 0), spatial \(bits & 2 != 0), norm \(bits & 4 != 0)"
  }

  /// A 3-layer rgb model (4/4/4 channels, 8×8 → 4×4 → 2×2), so the middle layer has a layer above and below.
  static func model(_ bits: Int) throws -> FERModel {
    var spec = try #require(ModelSpec.preset(named: "tiny"))
    spec.streams = [.rgb]
    spec.convLSTM.channels = [4, 4, 4]
    spec.convLSTM.kernels = [3, 3, 3]
    spec.convLSTM.temporalSkip = bits & 1 != 0
    spec.convLSTM.spatialSkip = bits & 2 != 0
    spec.convLSTM.groupNorm = bits & 4 != 0
    return try FERModel(spec: spec, seed: 2)
  }

  /// Logits and probes after one probed forward/backward on 2 clips of 5 steps.
  static func probed(_ model: FERModel) -> (logits: [Float], probes: [ConvLSTMProbe]) {
    let probes = [ConvLSTMProbe(), ConvLSTMProbe(), ConvLSTMProbe()]
    var context = ForwardContext.evaluation
    let logits = model(ModelTests.tinyInput(model.spec), &context, probes: [.rgb: probes])
    Tensor.softmaxCrossEntropy(logits: logits, labels: [0, 3]).backward()
    return (logits.data, probes)
  }

  /// Σ_path part_t = ∂L/∂h_t element by element, to float rounding of the parts' magnitudes.
  @Test(arguments: 0..<8)
  func partsAddUpToTheTotal(bits: Int) throws {
    let (_, probes) = Self.probed(try Self.model(bits))
    for (l, probe) in probes.enumerated() {
      #expect(probe.hidden.count == 5 && probe.cells.count == 5)
      for t in 0..<5 {
        let total = try #require(probe.hidden[t].grad)
        var sum = [Double](repeating: 0, count: total.count), size = sum
        for path in GradientPath.allCases {
          for (i, g) in (probe.gradient(along: path, step: t) ?? []).enumerated() {
            sum[i] += Double(g)
            size[i] += abs(Double(g))
          }
        }
        let worst = zip(total, zip(sum, size)).map { abs(Double($0) - $1.0) - 1e-5 * $1.1 }.max() ?? 0
        #expect(worst <= 1e-9, "\(Self.name(bits)), layer \(l), step \(t): parts miss the total by \(worst) beyond rounding")
      }
    }
  }

  /// A path whose switch is off, or that a layer does not have, carries exactly nothing; one that is on carries something.
  @Test(arguments: 0..<8)
  func pathsFollowTheSwitches(bits: Int) throws {
    let (temporal, spatial) = (bits & 1 != 0, bits & 2 != 0)
    let (_, probes) = Self.probed(try Self.model(bits))
    func carries(_ l: Int, _ path: GradientPath, _ t: Int) -> Bool {
      (probes[l].gradient(along: path, step: t) ?? []).contains { $0 != 0 }
    }
    let top = probes.count - 1
    for l in probes.indices {
      for t in 0..<5 {
        let at = "\(Self.name(bits)), layer \(l), step \(t)"
        #expect(carries(l, .recurrence, t) == (t < 4), "\(at): recurrence")  // the last step feeds no later step
        #expect(carries(l, .temporalSkip, t) == (temporal && t < 3), "\(at): temporal skip")  // h_{t+2} must exist
        #expect(carries(l, .aboveGates, t) == (l < top), "\(at): above gates")
        #expect(carries(l, .aboveSpatial, t) == (spatial && l < top), "\(at): above spatial")
        #expect(carries(l, .head, t) == (l == top && t == 4), "\(at): head")
      }
    }
  }

  /// Probing adds identity nodes only: the logits are bit for bit those of the unprobed
  /// forward (recorded `flow` sessions replay on this), and the parameter gradients agree
  /// to rounding (the probe's copies sum h_t's gradient in another order).
  @Test(arguments: 0..<8)
  func probingChangesNoValue(bits: Int) throws {
    let model = try Self.model(bits)
    var context = ForwardContext.evaluation
    let plain = model(ModelTests.tinyInput(model.spec), &context)
    Tensor.softmaxCrossEntropy(logits: plain, labels: [0, 3]).backward()
    let plainGrads = model.parameters.map { $0.grad ?? [] }
    for p in model.parameters { p.zeroGrad() }

    let (logits, _) = Self.probed(model)
    #expect(logits == plain.data, "\(Self.name(bits))")
    for (p, expected) in zip(model.parameters, plainGrads) {
      let got = p.grad ?? []
      #expect(got.count == expected.count)
      let scale = expected.map(abs).max() ?? 0
      #expect(zip(got, expected).allSatisfy { abs($0 - $1) <= 1e-5 * scale }, "\(Self.name(bits)): \(p.shape)")
    }
  }
}
