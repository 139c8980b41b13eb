import FERCore
import Foundation
import Testing

@testable import FERModels

// The training-step memory estimate against what one forward pass actually
// keeps: GraphFootprint counts every tensor reachable from the loss and the
// input batch (each storage once) and the buffers the pullbacks keep. The estimate's activations
// must lie within 10 % of that count, its weights exactly on the model's, and
// its total within a factor of 1.5 of activations + weights × 4 (parameters,
// gradients, Adam's two moments), the rest being the backward working memory —
// less Winograd's filters and gradient sums, which are sized by the weights and
// not by the batch, and outweigh the activations of these small batches.

@Suite("training memory estimate")
struct ModelMemoryTests {
  static func spec(_ edit: (inout ModelSpec) -> Void) -> ModelSpec {
    var spec = ModelSpec()
    spec.inputSize = 16
    spec.convLSTM.channels = [4, 8]
    spec.convLSTM.kernels = [5, 3]
    spec.resnet.depth = 10
    spec.resnet.width = 4
    spec.cnnLSTM.channels = [4, 8]
    spec.cnnLSTM.hidden = 16
    spec.head.hidden = [16, 8]
    edit(&spec)
    return spec
  }

  static let specs: [(String, ModelSpec)] = [
    ("enhanced rgb", spec { $0.streams = [.rgb] }),
    ("conventional flow", spec {
      $0.streams = [.flow]
      $0.convLSTM.temporalSkip = false
      $0.convLSTM.spatialSkip = false
      $0.convLSTM.groupNorm = false
    }),
    ("enhanced, wider and longer", spec {
      $0.streams = [.rgb]
      $0.inputSize = 24
      $0.convLSTM.channels = [8, 16, 16]
      $0.convLSTM.kernels = [5, 5, 3]
    }),
    ("cnn+lstm", spec {
      $0.streams = [.rgb, .flow]
      $0.backbone = .cnnLSTM
    }),
    ("resnet streams", spec { $0.streams = [.rgbDynamic, .flowDynamic] }),
    ("all four streams, dropout", spec { $0.head.dropout = 0.2 }),
  ]

  @Test(arguments: specs)
  func estimateMatchesTheTensorsOfOneStep(_ name: String, _ spec: ModelSpec) throws {
    let (batch, steps) = (3, 6)
    let model = try FERModel(spec: spec, seed: 4)
    #expect(spec.weightCount == Double(model.parameterCount), "\(name)")

    var rng = SeededRNG(seed: 9)
    var input = ModelInput()
    for kind in spec.streams {
      let shape = kind.isSequence
        ? [batch, steps, kind.inputChannels, spec.inputSize, spec.inputSize]
        : [batch, kind.inputChannels, spec.inputSize, spec.inputSize]
      input[kind] = Tensor.uniform(shape, 0, 1, rng: &rng)
    }
    var context = ForwardContext(training: true)
    let loss = Tensor.softmaxCrossEntropy(logits: model(input, &context), labels: (0..<batch).map { $0 % spec.classes })
    let footprint = GraphFootprint(of: loss, holding: spec.streams.compactMap { input[$0] })
    let estimate = spec.trainingMemory(batch: batch, steps: steps)

    #expect(estimate.parameterBytes == footprint.parameterBytes, "\(name)")
    let ratio = Double(estimate.activationBytes) / Double(footprint.activationBytes)
    #expect((0.9...1.1).contains(ratio), "\(name): activations estimated \(estimate.activationBytes), measured \(footprint.activationBytes)")

    loss.backward()
    let gradientBytes = model.parameters.reduce(0) { $0 + 4 * ($1.grad?.count ?? 0) }
    #expect(gradientBytes == estimate.gradientBytes, "\(name)")
    let measured = footprint.activationBytes + 4 * footprint.parameterBytes
    let totalRatio = Double(estimate.totalBytes - estimate.winogradBufferBytes) / Double(measured)
    #expect((1...1.5).contains(totalRatio), "\(name): total estimated \(estimate.totalBytes), graph and weights \(measured)")
  }

  @Test func theSentenceGivesTheTotalAndItsParts() {
    var spec = ModelSpec.preset(named: "small") ?? ModelSpec()
    spec.streams = [.rgb, .flow]
    let estimate = spec.trainingMemory(batch: 8, steps: 16)
    let text = estimate.description
    #expect(text.hasPrefix("about "), "\(text)")
    #expect(text.contains("activations (") && text.contains("ConvLSTM layers × 16 steps × batch 8"), "\(text)")
    #expect(estimate.totalBytes == estimate.parameterBytes * 4 + estimate.activationBytes + estimate.backwardWorkingBytes)
    #expect(estimate.convLSTMActivationBytes <= estimate.activationBytes)
    // Linear in the batch, apart from the weights.
    let twice = spec.trainingMemory(batch: 16, steps: 16)
    #expect(twice.activationBytes > 19 * estimate.activationBytes / 10)
  }

  @Test func byteSizesReadAsAPersonWritesThem() {
    #expect(formatBytes(512) == "512 B")
    #expect(formatBytes(1536) == "1.5 KiB")
    #expect(formatBytes(120 * 1024 * 1024) == "120 MiB")
    #expect(formatBytes(Int(1.9 * 1024 * 1024 * 1024)) == "1.9 GiB")
  }

  /// The largest spec ModelSpecLimits allows, at the largest batch and length, saturates instead of trapping.
  @Test func theLargestSpecsDoNotOverflow() {
    var spec = ModelSpec()
    spec.inputSize = ModelSpecLimits.inputSize.upperBound
    spec.convLSTM.channels = Array(repeating: ModelSpecLimits.channels.upperBound, count: ModelSpecLimits.layers.upperBound)
    spec.convLSTM.kernels = Array(repeating: ModelSpecLimits.kernel.upperBound, count: ModelSpecLimits.layers.upperBound)
    let estimate = spec.trainingMemory(batch: Int.max, steps: Int.max)
    #expect(estimate.totalBytes > 0)
    #expect(estimate.description.contains("EiB"))
  }
}
