import FERCore
import Foundation
import Testing
@testable import FERModels

@Suite("models")
struct ModelTests {
  static func tinyInput(_ spec: ModelSpec, batch: Int = 2, steps: Int = 5, seed: UInt64 = 3) -> ModelInput {
    var rng = SeededRNG(seed: seed)
    let s = spec.inputSize
    var input = ModelInput()
    for kind in spec.streams {
      let shape = kind.isSequence
        ? [batch, kind == .rgb ? steps : steps - 1, kind.inputChannels, s, s] : [batch, kind.inputChannels, s, s]
      input[kind] = Tensor.uniform(shape, 0, 1, rng: &rng)
    }
    return input
  }

  /// Every combination of the switches and peephole option builds, runs and keeps its state shapes
  /// (the bug class where toggling a skip breaks h/c shapes).
  @Test func everySwitchCombinationKeepsShapes() throws {
    for bits in 0..<16 {
      var spec = try #require(ModelSpec.preset(named: "tiny"))
      spec.streams = [.rgb]
      spec.convLSTM.temporalSkip = bits & 1 != 0
      spec.convLSTM.spatialSkip = bits & 2 != 0
      spec.convLSTM.groupNorm = bits & 4 != 0
      spec.convLSTM.outputPeephole = bits & 8 != 0 ? .current : .previous
      let model = try FERModel(spec: spec, seed: 1)
      guard case .convLSTM(let stream) = model.streams[0].1 else { Issue.record("not a ConvLSTM stream"); return }
      let x = try #require(Self.tinyInput(spec)[.rgb])
      let hidden = stream.hiddenStates(x)
      #expect(hidden.count == 2)
      #expect(hidden[0].count == 5 && hidden[0].allSatisfy { $0.shape == [2, 4, 8, 8] })
      #expect(hidden[1].allSatisfy { $0.shape == [2, 4, 4, 4] })
      var context = ForwardContext.evaluation
      #expect(model(Self.tinyInput(spec), &context).shape == [2, 6])
      let names = Set(model.namedParameters.map(\.0))
      #expect(names.contains("rgb.layers.0.conv_s.weight") == spec.convLSTM.spatialSkip)
      #expect(names.contains("rgb.layers.1.norm.weight") == spec.convLSTM.groupNorm)
    }
  }

  @Test func sameSeedSameModel() throws {
    let spec = try #require(ModelSpec.preset(named: "tiny"))
    let a = try FERModel(spec: spec, seed: 7), b = try FERModel(spec: spec, seed: 7), c = try FERModel(spec: spec, seed: 8)
    #expect(a.namedParameters.map(\.1.data) == b.namedParameters.map(\.1.data))
    #expect(a.namedParameters.map(\.1.data) != c.namedParameters.map(\.1.data))
  }

  @Test func checkpointRoundTrip() throws {
    let spec = try #require(ModelSpec.preset(named: "tiny"))
    let model = try FERModel(spec: spec, seed: 4)
    var context = ForwardContext(training: true)
    _ = model(Self.tinyInput(spec), &context)  // moves the batch-norm running statistics off their init
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-ckpt-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try Checkpoint.save(model, to: url)
    let loaded = try Checkpoint.load(from: url)
    #expect(loaded.spec == spec)
    #expect(loaded.namedParameters.map(\.1.data) == model.namedParameters.map(\.1.data))
    #expect(loaded.namedBuffers.map { $0.1.get() } == model.namedBuffers.map { $0.1.get() })
    var eval1 = ForwardContext.evaluation, eval2 = ForwardContext.evaluation
    let input = Self.tinyInput(spec)
    #expect(model(input, &eval1).data == loaded(input, &eval2).data)
  }

  @Test func loadingRejectsMismatchedWeights() throws {
    let tiny = try #require(ModelSpec.preset(named: "tiny"))
    var other = tiny
    other.convLSTM.channels = [4, 8]
    let file = Checkpoint.file(of: try FERModel(spec: other, seed: 1))
    #expect(throws: CheckpointError.self) { try Checkpoint.loadWeights(file, into: try FERModel(spec: tiny, seed: 1)) }
    var noSpec = file
    noSpec.metadata = [:]
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ferlab-nospec-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try noSpec.write(to: url)
    #expect { try Checkpoint.load(from: url) } throws: { "\($0)".contains("not a FERLab checkpoint") }
  }
}
