import FERCore

/// One minibatch of prepared clips, as the streams consume them.
///
/// Only the tensors of the model's streams need to be present.
public struct ModelInput {
  /// Face frames [N, T, 3, S, S], values in [0, 1].
  public var rgb: Tensor?
  /// Optical flow [N, T′, 2, S, S] (T′ = T − 1 frame pairs).
  public var flow: Tensor?
  /// Dynamic image of the RGB clip [N, 3, S, S].
  public var rgbDynamic: Tensor?
  /// Dynamic image of the flow clip [N, 2, S, S].
  public var flowDynamic: Tensor?

  public init(rgb: Tensor? = nil, flow: Tensor? = nil, rgbDynamic: Tensor? = nil, flowDynamic: Tensor? = nil) {
    self.rgb = rgb
    self.flow = flow
    self.rgbDynamic = rgbDynamic
    self.flowDynamic = flowDynamic
  }

  /// The tensor of one stream.
  public subscript(kind: StreamKind) -> Tensor? {
    get {
      switch kind {
      case .rgb: rgb
      case .flow: flow
      case .rgbDynamic: rgbDynamic
      case .flowDynamic: flowDynamic
      }
    }
    set {
      switch kind {
      case .rgb: rgb = newValue
      case .flow: flow = newValue
      case .rgbDynamic: rgbDynamic = newValue
      case .flowDynamic: flowDynamic = newValue
      }
    }
  }

  /// Batch size (from the first tensor present).
  public var batchSize: Int {
    StreamKind.allCases.lazy.compactMap { self[$0]?.shape.first }.first ?? 0
  }
}

/// An input that does not fit the model it is given to.
public struct ModelInputError: Error, CustomStringConvertible, Equatable {
  public let description: String
}

extension ModelInput {
  /// The longest clip a sequence stream takes (steps are unrolled in memory).
  public static let maximumSteps = 4096

  /// Throws unless every stream of `spec` has a tensor of the shape it needs:
  /// sequences [N, T, C, S, S] with T ≥ 1 (≤ maximumSteps), images [N, C, S, S],
  /// C the stream's channels, S the spec's input size, N ≥ 1 and the same N in
  /// every stream; `source` names where the tensors came from.
  public func check(against spec: ModelSpec, source: String) throws(ModelInputError) {
    var batch: (size: Int, stream: StreamKind)?
    for kind in spec.streams {
      guard let x = self[kind] else {
        throw ModelInputError(description: "\(source) has no \(kind.rawValue) tensor, which the spec's streams need")
      }
      let c = kind.inputChannels, s = spec.inputSize
      let expected = kind.isSequence ? "[N, T, \(c), \(s), \(s)]" : "[N, \(c), \(s), \(s)]"
      let fits = kind.isSequence
        ? x.shape.count == 5 && x.shape[2] == c && x.shape[3] == s && x.shape[4] == s
        : x.shape.count == 4 && x.shape[1] == c && x.shape[2] == s && x.shape[3] == s
      guard fits else {
        throw ModelInputError(description: "\(source): \(kind.rawValue) is \(x.shape); the spec needs \(expected)")
      }
      guard x.shape[0] >= 1 else { throw ModelInputError(description: "\(source): \(kind.rawValue) holds no clips (N = 0)") }
      if kind.isSequence, !(1...Self.maximumSteps).contains(x.shape[1]) {
        throw ModelInputError(
          description: "\(source): \(kind.rawValue) has T = \(x.shape[1]) steps; use 1 to \(Self.maximumSteps)")
      }
      if let batch, batch.size != x.shape[0] {
        throw ModelInputError(
          description: "\(source): \(kind.rawValue) holds \(x.shape[0]) clips but \(batch.stream.rawValue) holds \(batch.size); every stream needs the same N")
      }
      batch = batch ?? (x.shape[0], kind)
    }
  }
}
