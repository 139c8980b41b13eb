import FERCore

// The whole model of the seed's figure 2, built from a ModelSpec: sequence
// streams (ConvLSTM or CNN+LSTM) on RGB and flow, ResNet streams on the two
// dynamic images, and the fusion head. Every parameter's name is
// "<stream>.<module names>" or "head.<head names>" (see Checkpoint/ParameterNames.md).

/// A stream's network.
public enum StreamNetwork {
  case convLSTM(ConvLSTMStream)
  case cnnLSTM(CNNLSTMStream)
  case resnet(ResNet)

  var module: any Module {
    switch self {
    case .convLSTM(let m): m
    case .cnnLSTM(let m): m
    case .resnet(let m): m
    }
  }

  var featureSize: Int {
    switch self {
    case .convLSTM(let m): m.featureSize
    case .cnnLSTM(let m): m.featureSize
    case .resnet(let m): m.featureSize
    }
  }
}

/// A facial-expression classifier built from a spec.
public final class FERModel: Module {
  public let spec: ModelSpec
  public let streams: [(StreamKind, StreamNetwork)]
  public let head: FusionHead

  /// Builds and initialises the model; `seed` fixes every initial weight.
  /// Throws `ModelSpecError` when the spec cannot be built.
  public init(spec: ModelSpec, seed: UInt64) throws {
    try spec.validate()
    self.spec = spec
    let rng = SeededRNG(seed: seed)
    var streams: [(StreamKind, StreamNetwork)] = []
    for kind in spec.streams.sorted() {
      var streamRNG = rng.derived(UInt64(StreamKind.allCases.firstIndex(of: kind) ?? 0))
      let network: StreamNetwork
      switch (kind.isSequence, spec.backbone) {
      case (true, .convLSTM):
        network = .convLSTM(
          ConvLSTMStream(inputChannels: kind.inputChannels, inputSize: spec.inputSize, spec: spec.convLSTM, rng: &streamRNG))
      case (true, .cnnLSTM):
        network = .cnnLSTM(
          CNNLSTMStream(inputChannels: kind.inputChannels, inputSize: spec.inputSize, spec: spec.cnnLSTM, rng: &streamRNG))
      case (false, _):
        network = .resnet(ResNet(inputChannels: kind.inputChannels, spec: spec.resnet, rng: &streamRNG))
      }
      streams.append((kind, network))
    }
    self.streams = streams
    var headRNG = rng.derived(100)
    head = FusionHead(
      featureSizes: streams.map { ($0.0, $0.1.featureSize) }, spec: spec.head, classes: spec.classes, rng: &headRNG)
  }

  /// Class logits [N, K]. `probes` (per ConvLSTM stream, one per layer) record gradient paths.
  public func callAsFunction(
    _ input: ModelInput, _ context: inout ForwardContext, probes: [StreamKind: [ConvLSTMProbe]] = [:]
  ) -> Tensor {
    var features: [StreamKind: Tensor] = [:]
    for (kind, network) in streams {
      guard var x = input[kind] else {
        preconditionFailure("FERModel: the input has no \(kind.rawValue) tensor, which this model's streams need")
      }
      if kind == .rgb && spec.centreFrames { x = x.standardisedOverTime() }
      switch network {
      case .convLSTM(let m): features[kind] = m(x, probes: probes[kind])
      case .cnnLSTM(let m): features[kind] = m(x)
      case .resnet(let m): features[kind] = m(x, context)
      }
    }
    return head(features, &context)
  }

  public var namedParameters: [(String, Tensor)] {
    streams.flatMap { scoped($0.0.rawValue, $0.1.module.namedParameters) } + scoped("head", head.namedParameters)
  }

  /// Layers of each ConvLSTM stream (for building probes).
  public func convLSTMLayerCount(_ kind: StreamKind) -> Int? {
    guard case .convLSTM(let stream)? = streams.first(where: { $0.0 == kind })?.1 else { return nil }
    return stream.layers.count
  }

  public var namedBuffers: [(String, Buffer)] {
    streams.flatMap { scoped($0.0.rawValue, $0.1.module.namedBuffers) }
  }
}
