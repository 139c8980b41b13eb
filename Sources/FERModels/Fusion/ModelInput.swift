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
